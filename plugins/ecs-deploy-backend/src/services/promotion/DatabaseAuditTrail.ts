import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ActionOutcome,
  AuditRecord,
  EcsServiceRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployStore } from '../../database/EcsDeployStore';
import type {
  AuditAttempt,
  AuditBefore,
  AuditTrail,
  RolloutResult,
} from '../types';
import { OutcomeUnknownError } from './DefaultTaskDefinitionRollout';

/** How an error thrown before the action started is recorded. */
function refusalResult(error: unknown): 'denied' | 'rejected' | 'failed' {
  if (error instanceof NotAllowedError) return 'denied';
  if (error instanceof ConflictError) return 'rejected';
  return 'failed';
}

/**
 * {@link AuditTrail} on the plugin's database and the Backstage auditor: every attempt gets one
 * row (denied, rejected, failed, or started then succeeded/failed/unknown) and one auditor event.
 */
export class DatabaseAuditTrail implements AuditTrail {
  constructor(
    private readonly options: {
      store: EcsDeployStore;
      auditor: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private event(attempt: AuditAttempt) {
    return this.options.auditor.createEvent({
      eventId: attempt.action,
      severityLevel: 'high',
      meta: {
        entityRef: attempt.entityRef,
        actor: attempt.actor,
        from: attempt.fromEnvironment ?? null,
        to: attempt.toEnvironment,
        service: attempt.targetService
          ? `${attempt.targetService.cluster}/${attempt.targetService.serviceName}`
          : null,
        ownershipProof: attempt.ownershipProof ?? null,
        reason: attempt.reason ?? null,
        causedBy: attempt.causedBy ?? null,
        requestId: attempt.requestId ?? null,
        freezeOverride: attempt.freezeOverride ?? null,
      },
    });
  }

  private insert(
    { follow: _, ...attempt }: AuditAttempt,
    result: AuditRecord['result'],
    message?: string,
    before?: AuditBefore,
  ) {
    return this.options.store.insertAudit({
      ...attempt,
      previousImages: before?.previousImages ?? [],
      previousTaskDefinition: before?.previousTaskDefinition,
      newImages: [],
      result,
      message,
      finishedAt: result === 'started' ? undefined : this.now().toISOString(),
    });
  }

  async refuse(
    attempt: AuditAttempt,
    result: 'denied' | 'rejected' | 'failed',
    error: Error,
  ): Promise<AuditRecord> {
    const event = await this.event(attempt);
    const row = await this.insert(attempt, result, error.message);
    await event.fail({ error });
    return row;
  }

  async note(attempt: AuditAttempt, message: string): Promise<AuditRecord> {
    const event = await this.event(attempt);
    const row = await this.insert(attempt, 'succeeded', message);
    await event.success();
    return row;
  }

  /** Where the follower takes over once AWS accepted the write (to `newTaskDefinition`). */
  private follow(attempt: AuditAttempt, newTaskDefinition: string) {
    return (
      attempt.follow && {
        expectedTaskDefinition: newTaskDefinition,
        deadlineAt: new Date(this.now().getTime() + attempt.follow.timeoutMs),
        autoRollback: attempt.follow.autoRollback,
      }
    );
  }

  async run(
    attempt: AuditAttempt,
    act: (
      start: (before: AuditBefore) => Promise<void>,
    ) => Promise<RolloutResult>,
  ): Promise<ActionOutcome> {
    const { store, logger } = this.options;
    const event = await this.event(attempt);
    let row: AuditRecord | undefined;
    try {
      const outcome = await act(async before => {
        row = await this.insert(
          { ...attempt, ownershipProof: before.ownershipProof },
          'started',
          undefined,
          before,
        );
      });
      const { taskDefinition, images } = outcome;
      const message = `${attempt.toEnvironment} now runs ${taskDefinition.family}:${taskDefinition.revision}`;
      const finished = {
        result: 'succeeded' as const,
        newTaskDefinition: taskDefinition.arn,
        newImages: images,
        message,
      };
      const follow = this.follow(attempt, taskDefinition.arn);
      await store.finishAudit(row!.id, finished, follow);
      await event.success({ meta: { newTaskDefinition: taskDefinition.arn } });
      return {
        ...outcome,
        audit: {
          ...row!,
          ...finished,
          finishedAt: this.now().toISOString(),
          ...(follow && { outcome: 'in-progress' as const }),
        },
      };
    } catch (error) {
      const e = error as Error;
      if (row) {
        const unknown = e instanceof OutcomeUnknownError;
        // An unknown write is followed too: the follower finds out whether AWS applied it.
        await store.finishAudit(
          row.id,
          {
            result: unknown ? 'unknown' : 'failed',
            message: e.message,
            ...(unknown && { newTaskDefinition: e.newTaskDefinition }),
          },
          unknown ? this.follow(attempt, e.newTaskDefinition) : undefined,
        );
        logger.error(
          `${attempt.action} of ${attempt.entityRef} to ${
            attempt.toEnvironment
          } ${unknown ? 'has an unknown outcome' : 'failed'}: ${e.message}`,
          { entityRef: attempt.entityRef },
        );
      } else {
        await this.insert(attempt, refusalResult(e), e.message);
      }
      await event.fail({ error: e });
      throw error;
    }
  }

  history(entityRef: string, services: EcsServiceRef[], limit: number) {
    return this.options.store.listAudit(entityRef, services, limit);
  }

  lastInto(service: EcsServiceRef, taskDefinitionArn: string) {
    return this.options.store.findSucceededInto(service, taskDefinitionArn);
  }
}
