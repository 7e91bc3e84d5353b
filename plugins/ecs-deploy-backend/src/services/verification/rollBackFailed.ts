/*
 * One try at rolling back the promotion a failed verification verified: through the automatic
 * rollback the follower shares (once, whoever asks first), given up after a few failed tries.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { AuditRecord } from '@deployment-portal/plugin-ecs-deploy-common';
import {
  AutomaticRollback,
  rollbackText,
} from '../followThrough/AutomaticRollback';
import type { StoredVerification, VerificationPatch } from './types';

/** Tries of a rollback of a failed verification before it is given up. */
const ROLLBACK_ATTEMPTS = 3;

/** What to record of this try; undefined while another caller is rolling it back. */
export async function rollBackFailed(options: {
  rollbacks: Pick<AutomaticRollback, 'rollBack'>;
  logger: LoggerService;
  v: StoredVerification;
  entity?: Entity;
  promotion?: AuditRecord;
  /** When to try again (ISO). */
  later: string;
}): Promise<VerificationPatch | undefined> {
  const { v, entity, promotion } = options;
  const attempts = v.rollbackAttempts + 1;
  try {
    if (!entity) throw new Error(`${v.entityRef} is not in the catalog`);
    if (!promotion) throw new Error(`no audit row ${v.auditId}`);
    const answer = await options.rollbacks.rollBack(
      entity,
      promotion,
      `Automatic rollback: verification failed: ${v.message}`,
    );
    if (!answer) return undefined;
    const text = rollbackText(answer, promotion);
    return {
      rollbackState: 'done',
      rollback: {
        auditId: answer.rollback.id,
        message: `${text[0].toUpperCase()}${text.slice(1)}.`,
      },
    };
  } catch (error) {
    const why = (error as Error).message;
    options.logger.warn(
      `Rollback of the failed verification ${v.id} (try ${attempts}) failed: ${why}`,
    );
    return attempts < ROLLBACK_ATTEMPTS
      ? { rollbackAttempts: attempts, nextCheckAt: options.later }
      : {
          rollbackAttempts: attempts,
          rollbackState: 'failed',
          rollback: { message: `The automatic rollback failed: ${why}` },
        };
  }
}
