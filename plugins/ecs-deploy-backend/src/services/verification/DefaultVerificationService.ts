import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  getEcsServiceName,
  getEntityEnvironments,
  ReverifyRequest,
  Verification,
  VerificationDecisionBody,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { PermissionsService } from '@backstage/backend-plugin-api';
import type { EcsDeployConfig } from '../../config';
import type { LockStore } from '../../database/LockStore';
import type { VerificationStore } from '../../database/VerificationStore';
import type { Caller } from '../catalog/types';
import { entityEnvironment } from '../environments';
import type { DeploymentNotifier } from '../notify/types';
import { entityPermissionRefusal } from '../promotion/permission';
import type {
  AuditAttempt,
  AuditTrail,
  PromotionService,
} from '../promotion/types';
import { refuse } from '../promotion/write';
import { ecsServiceRef } from '../serviceRef';
import type { ServiceStateStore } from '../status/types';
import type { StoredVerification, VerificationService } from './types';

/** What the contract shows of a stored verification. */
export function toVerification(v: StoredVerification): Verification {
  const {
    plan: _plan,
    autoRollback: _autoRollback,
    rolloutDeadlineAt: _deadline,
    nextCheckAt: _next,
    rollbackState: _state,
    rollbackAttempts: _attempts,
    ...verification
  } = v;
  return verification;
}

const UNDECIDED = ['running', 'held'];

/**
 * Verifications over HTTP. Verifying again (an owner; audited), and continuing (an owner) or
 * aborting (an owner; a promotion is rolled back through the write envelope as the owner's
 * rollback) a held one, each audited and told to the owners; one decision per verification.
 */
export class DefaultVerificationService implements VerificationService {
  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      verifications: VerificationStore;
      locks: Pick<LockStore, 'tryLock' | 'unlock'>;
      audit: AuditTrail;
      permissions: PermissionsService;
      promotions: Pick<PromotionService, 'rollback'>;
      store: ServiceStateStore;
      notifier: DeploymentNotifier;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private services(entity: Entity) {
    const { environments } = this.options.settings;
    const names = getEntityEnvironments(
      entity,
      environments.map(e => e.name),
    );
    return environments
      .filter(e => names.includes(e.name))
      .map(e => ecsServiceRef(e, getEcsServiceName(entity, e.name)));
  }

  async list(
    entity: Entity,
    query: { environment?: string; limit: number },
    caller: Caller,
  ) {
    if (query.environment) {
      entityEnvironment(this.options.settings, entity, query.environment);
    }
    const [items, refused] = await Promise.all([
      this.options.verifications.list(
        stringifyEntityRef(entity),
        this.services(entity),
        query,
      ),
      entityPermissionRefusal(
        this.options.permissions,
        ecsDeployPromotePermission,
        entity,
        caller,
      ),
    ]);
    return {
      items: items.map(v => ({
        ...toVerification(v),
        canResolve: !refused && v.status === 'held',
      })),
      canReverify: !refused,
    };
  }

  /** The audited attempt, refused (403, audited) when the caller lacks `permission`. */
  private async authorized(
    permission: typeof ecsDeployPromotePermission,
    entity: Entity,
    caller: Caller,
    attempt: AuditAttempt,
  ) {
    const refused = await entityPermissionRefusal(
      this.options.permissions,
      permission,
      entity,
      caller,
    );
    if (refused) {
      await refuse(
        this.options.audit,
        attempt,
        new NotAllowedError(refused.message),
      );
    }
  }

  async reverify(
    entity: Entity,
    request: ReverifyRequest,
    caller: Caller,
  ): Promise<Verification> {
    const { settings, verifications, audit, store } = this.options;
    const env = entityEnvironment(settings, entity, request.environment);
    const target = ecsServiceRef(env, getEcsServiceName(entity, env.name));
    const attempt: AuditAttempt = {
      action: 'reverify',
      entityRef: stringifyEntityRef(entity),
      actor: caller.userEntityRef,
      toEnvironment: env.name,
      targetService: target,
      reason: request.reason,
    };
    await this.authorized(ecsDeployPromotePermission, entity, caller, attempt);
    const read = (
      await store.read(env, [target.serviceName], { fresh: true })
    ).get(target.serviceName);
    const summary = read?.state?.summary;
    if (!summary || read?.stale) {
      await refuse(
        audit,
        attempt,
        new ConflictError(
          read?.stale
            ? `${env.name} could not be read: ${
                read.error?.message ?? 'no answer from ECS'
              }`
            : `${target.serviceName} is not deployed in ${env.name}`,
        ),
      );
    }
    const latest = await verifications.latest(target);
    if (latest && UNDECIDED.includes(latest.status)) {
      await refuse(
        audit,
        attempt,
        new ConflictError(
          `A verification of ${target.serviceName} in ${env.name} is ${
            latest.status
          } (${latest.id}); ${
            latest.status === 'held'
              ? 'continue or abort it first'
              : 'wait for it'
          }`,
        ),
      );
    }
    const revision = summary!.taskDefinition;
    const row = await audit.note(
      attempt,
      `Verification of ${revision.family}:${revision.revision} requested`,
    );
    const path = settings.promotionPaths.find(p => p.to === env.name);
    const started = await verifications.start(
      {
        dedupeKey: `reverify:${row.id}`,
        entityRef: attempt.entityRef,
        environment: env.name,
        targetService: target,
        taskDefinition: revision.arn,
        deploymentId: summary!.deployments.find(d => d.status === 'PRIMARY')
          ?.id,
        trigger: 'reverify',
        auditId: row.id,
        requestedBy: caller.userEntityRef,
        autoRollback: false,
        rolloutDeadlineAt: new Date(
          this.now().getTime() +
            (path?.verifyTimeoutMs ?? settings.followThrough.verifyTimeoutMs),
        ),
      },
      this.now(),
    );
    return toVerification(started!);
  }

  async resolve(
    entity: Entity,
    id: string,
    decision: 'continue' | 'abort',
    body: VerificationDecisionBody,
    caller: Caller,
  ): Promise<Verification> {
    const { verifications, audit, locks } = this.options;
    const entityRef = stringifyEntityRef(entity);
    const v = await verifications.get(id);
    if (!v || v.entityRef !== entityRef) {
      throw new NotFoundError(`No verification ${id} of ${entityRef}`);
    }
    const attempt: AuditAttempt = {
      action:
        decision === 'continue'
          ? 'continue-verification'
          : 'abort-verification',
      entityRef,
      actor: caller.userEntityRef,
      toEnvironment: v.environment,
      targetService: v.targetService,
      reason: body.reason,
    };
    await this.authorized(
      decision === 'continue'
        ? ecsDeployPromotePermission
        : ecsDeployRollbackPermission,
      entity,
      caller,
      attempt,
    );
    const key = `verification:${id}`;
    const owner = `${caller.userEntityRef}:${this.now().getTime()}`;
    if (v.status !== 'held' || !(await locks.tryLock(key, owner, 60_000))) {
      await refuse(
        audit,
        attempt,
        new ConflictError(
          v.status === 'held'
            ? `Verification ${id} is being decided by someone else`
            : `Verification ${id} is ${v.status}, not held: ${
                v.resolution
                  ? `${v.resolution.decision} by ${v.resolution.by}`
                  : 'nothing to decide'
              }`,
        ),
      );
    }
    try {
      return await this.decide(entity, v, decision, body, caller, attempt);
    } finally {
      await locks.unlock(key, owner);
    }
  }

  private async decide(
    entity: Entity,
    v: StoredVerification,
    decision: 'continue' | 'abort',
    body: VerificationDecisionBody,
    caller: Caller,
    attempt: AuditAttempt,
  ): Promise<Verification> {
    const { verifications, audit, promotions, notifier } = this.options;
    const revision = v.taskDefinition.split('/').pop();
    let rollback: StoredVerification['rollback'];
    if (decision === 'abort' && v.trigger === 'promotion') {
      // The owner's own rollback: permission, lock, guards and audit as any rollback.
      const outcome = await promotions.rollback(
        entity,
        {
          environment: v.environment,
          expectedTaskDefinition: v.taskDefinition,
          reason: `Held verification of ${revision} aborted${
            body.reason ? `: ${body.reason}` : ''
          }`,
        },
        caller,
      );
      const to = outcome.taskDefinition;
      rollback = {
        auditId: outcome.audit.id,
        message: `Rolled back by ${caller.userEntityRef} to ${to.family}:${to.revision}.`,
      };
    } else if (decision === 'abort') {
      rollback = {
        message: `Not rolled back: the portal did not deploy ${revision}; deploy a fixed revision to ${v.environment}.`,
      };
    }
    const resolution = {
      decision,
      by: caller.userEntityRef,
      at: this.now().toISOString(),
      reason: body.reason,
    };
    const status = decision === 'continue' ? 'continued' : 'aborted';
    const recorded = await verifications.resolve(v.id, resolution, {
      status,
      rollback,
    });
    if (!recorded) {
      throw new ConflictError(`Verification ${v.id} was decided meanwhile`);
    }
    await audit.note(
      attempt,
      `Held verification of ${revision} ${status}${
        rollback ? `; ${rollback.message}` : ''
      }`,
    );
    const resolved = toVerification({
      ...v,
      status,
      resolution,
      rollback,
    });
    await notifier.publish({
      subject: 'verification',
      kind: status,
      verification: resolved,
      entity,
    });
    return resolved;
  }
}
