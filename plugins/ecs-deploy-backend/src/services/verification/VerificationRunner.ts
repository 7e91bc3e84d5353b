import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { randomUUID } from 'node:crypto';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { Stores } from '../../database/stores';
import type { AwsClients } from '../aws/AwsClients';
import type { EcsReader } from '../aws/types';
import type { EntityAccess } from '../catalog/types';
import {
  AutomaticRollback,
  revisionOf,
} from '../followThrough/AutomaticRollback';
import { decideRollout } from '../followThrough/decideRollout';
import type { DeploymentNotifier } from '../notify/types';
import type { ServiceStateStore } from '../status/types';
import { decideVerification } from './decide';
import { measureChecks } from './measure';
import { resolvePlan } from './plan';
import { rollBackFailed } from './rollBackFailed';
import { initialChecks, StoredVerification, VerificationPatch } from './types';

/** Verifications one check takes on. */
const BATCH = 20;

/**
 * Runs verifications: each check claims the due ones (any replica; a claim expires, so another
 * replica resumes what a dead one was doing), resolves a new one's plan, follows its rollout,
 * measures its checks and records the outcome. A failed verification of a promotion whose path
 * rolls back is rolled back through the audited write envelope (actor `system`), once; an
 * inconclusive one is held for an owner. Owners and open pages are told of every outcome. The
 * scheduler runs `check` on one replica at a time.
 */
export class VerificationRunner {
  private readonly owner = `verifier-${randomUUID()}`;

  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      stores: Pick<Stores, 'verifications' | 'audit'>;
      store: ServiceStateStore;
      reader: EcsReader;
      clients: AwsClients;
      entities: EntityAccess;
      auth: AuthService;
      rollbacks: AutomaticRollback;
      notifier: DeploymentNotifier;
      logger: LoggerService;
      now?: () => Date;
      fetchImpl?: typeof fetch;
    },
  ) {}

  /** How long a step may hold a verification: reads, requests and a rollback. */
  get claimMs(): number {
    const { readDeadlineMs, writeDeadlineMs } = this.options.settings;
    return 3 * readDeadlineMs + 2 * writeDeadlineMs;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** One round over the due verifications. */
  async check(signal?: AbortSignal): Promise<void> {
    const { stores, logger } = this.options;
    const due = await stores.verifications.claimDue(
      this.owner,
      this.claimMs,
      BATCH,
      this.now(),
    );
    for (const v of due) {
      if (signal?.aborted) {
        await stores.verifications.save(v.id, this.owner, {});
        continue;
      }
      try {
        await this.step(v, signal);
      } catch (error) {
        logger.warn(
          `Verification ${v.id} of ${v.entityRef} in ${
            v.environment
          } could not be measured this time: ${(error as Error).message}`,
        );
        await stores.verifications.save(v.id, this.owner, {
          nextCheckAt: this.later(v),
        });
      }
    }
  }

  private later(v: StoredVerification) {
    const interval =
      v.plan?.intervalMs ?? this.options.settings.followThrough.checkIntervalMs;
    return new Date(this.now().getTime() + interval).toISOString();
  }

  private async entity(entityRef: string): Promise<Entity | undefined> {
    const { entities, auth } = this.options;
    return entities
      .loadEntity(
        parseEntityRef(entityRef),
        await auth.getOwnServiceCredentials(),
      )
      .catch(() => undefined);
  }

  private async step(v: StoredVerification, signal?: AbortSignal) {
    const { settings } = this.options;
    if (v.rollbackState === 'pending') {
      await this.rollBack(v);
      return;
    }
    const env = settings.environments.find(e => e.name === v.environment);
    if (!env) {
      await this.end(v, {
        status: 'cancelled',
        message: `${v.environment} is no longer configured`,
      });
      return;
    }
    const current = v.plan ? v : await this.plan(v, env, signal);
    if (current) await this.measure(current, env, signal);
  }

  /** Resolves a new verification's plan; ends it when there is nothing to check. */
  private async plan(
    v: StoredVerification,
    env: EnvironmentConfig,
    signal?: AbortSignal,
  ): Promise<StoredVerification | undefined> {
    const { settings, reader, clients } = this.options;
    const name = v.targetService.serviceName;
    const [entity, reads] = await Promise.all([
      this.entity(v.entityRef),
      reader.readServices(env, [name]),
    ]);
    const resolved = await resolvePlan({
      settings: settings.verification.environments[env.name],
      entity,
      env,
      target: v.targetService,
      service: reads.get(name)?.service,
      clients,
      signal,
    });
    if ('skipped' in resolved) {
      await this.end(v, { status: 'skipped', message: resolved.skipped });
      return undefined;
    }
    if ('problem' in resolved) {
      await this.end(v, { status: 'held', message: resolved.problem });
      return undefined;
    }
    return { ...v, plan: resolved.plan, checks: initialChecks(resolved.plan) };
  }

  /** Follows the rollout, measures what is due, and records where that leaves it. */
  private async measure(
    v: StoredVerification,
    env: EnvironmentConfig,
    signal?: AbortSignal,
  ) {
    const plan = v.plan!;
    const now = this.now();
    const name = v.targetService.serviceName;
    const read = (
      await this.options.store.read(env, [name], { fresh: true })
    ).get(name);
    let { rolledOutAt, windowEndsAt } = v;
    let cancelled: string | undefined;
    if (!rolledOutAt) {
      const rollout = decideRollout({
        environment: env.name,
        expected: v.taskDefinition,
        startedAt: new Date(v.createdAt),
        deadline: new Date(v.rolloutDeadlineAt),
        unknownWrite: false,
        read,
        now,
      });
      if (rollout.kind === 'rolled-out') {
        rolledOutAt = now.toISOString();
        windowEndsAt = new Date(now.getTime() + plan.windowMs).toISOString();
      } else if (rollout.kind !== 'wait') {
        cancelled = `The deployment did not complete: ${rollout.message}`;
      }
    } else {
      const runs = read?.state?.summary?.taskDefinition.arn;
      if (runs && runs !== v.taskDefinition) {
        cancelled = `${env.name} moved on to ${revisionOf(
          runs,
        )} before ${revisionOf(v.taskDefinition)} was verified`;
      }
    }
    const checks = await measureChecks({
      plan,
      checks: v.checks,
      phase: {
        now,
        startedAt: new Date(v.createdAt),
        rolledOutAt: rolledOutAt ? new Date(rolledOutAt) : undefined,
        windowEndsAt: windowEndsAt ? new Date(windowEndsAt) : undefined,
      },
      env,
      clients: this.options.clients,
      signal,
      fetchImpl: this.options.fetchImpl,
    });
    const decided = decideVerification(checks);
    const progress = { plan, checks, rolledOutAt, windowEndsAt };
    if (decided.status === 'failed') {
      await this.fail(v, decided.message!, progress);
    } else if (cancelled) {
      await this.end(v, {
        ...progress,
        status: 'cancelled',
        message: cancelled,
      });
    } else if (decided.status === 'running') {
      await this.options.stores.verifications.save(v.id, this.owner, {
        ...progress,
        nextCheckAt: this.later(v),
      });
    } else {
      await this.end(v, { ...progress, ...decided });
    }
  }

  /** A check failed: recorded at once, then the promotion rolled back when its path says so. */
  private async fail(
    v: StoredVerification,
    message: string,
    progress: VerificationPatch,
  ) {
    const rollBack = v.autoRollback && v.trigger === 'promotion' && v.auditId;
    if (!rollBack) {
      await this.end(v, { ...progress, status: 'failed', message });
      return;
    }
    const failed: StoredVerification = {
      ...v,
      ...progress,
      status: 'failed',
      message,
      finishedAt: this.now().toISOString(),
    };
    // Recorded (and kept claimed) before the rollback: a replica that dies in between leaves
    // the rollback to the next one.
    await this.options.stores.verifications.save(
      v.id,
      this.owner,
      {
        ...progress,
        status: 'failed',
        message,
        finishedAt: failed.finishedAt,
        rollbackState: 'pending',
      },
      { keepClaim: true },
    );
    await this.rollBack(failed);
  }

  /** Rolls the failed promotion back (once, whoever asks first), then tells the owners. */
  private async rollBack(v: StoredVerification) {
    const { stores, rollbacks, logger } = this.options;
    const [entity, promotion] = await Promise.all([
      this.entity(v.entityRef),
      stores.audit.get(v.auditId!),
    ]);
    const later = this.later(v);
    const patch = (await rollBackFailed({
      rollbacks,
      logger,
      v,
      entity,
      promotion,
      later,
    })) ?? { nextCheckAt: later };
    await stores.verifications.save(v.id, this.owner, patch);
    if (patch.rollbackState) {
      await this.announce({ ...v, ...patch }, 'failed', entity);
    }
  }

  /** Records the outcome and tells the owners. */
  private async end(v: StoredVerification, patch: VerificationPatch) {
    const finished = {
      ...patch,
      finishedAt: this.now().toISOString(),
      nextCheckAt: undefined,
    };
    await this.options.stores.verifications.save(v.id, this.owner, finished);
    const ended = { ...v, ...finished };
    this.options.logger.info(
      `Verification of ${v.entityRef} in ${v.environment} ${ended.status}: ${
        ended.message ?? ''
      }`,
      { entityRef: v.entityRef },
    );
    if (ended.status !== 'skipped' && ended.status !== 'running') {
      await this.announce(ended, ended.status);
    }
  }

  private async announce(
    v: StoredVerification,
    kind:
      | 'verified'
      | 'failed'
      | 'held'
      | 'continued'
      | 'aborted'
      | 'cancelled',
    entity?: Entity,
  ) {
    const { plan: _plan, ...verification } = v;
    await this.options.notifier.publish({
      subject: 'verification',
      kind,
      verification,
      entity: entity ?? (await this.entity(v.entityRef)),
    });
  }
}
