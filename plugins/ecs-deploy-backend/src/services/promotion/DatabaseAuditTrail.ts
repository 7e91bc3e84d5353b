import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ActionOutcome,
  AuditRecord,
  EcsServiceRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { Stores } from '../../database/stores';
import { OutcomeUnknownError } from '../errors';
import type { NewVerification } from '../verification/types';
import type {
  AuditAttempt,
  AuditBefore,
  AuditTrail,
  RolloutResult,
  StartedAction,
} from './types';

/**
 * {@link AuditTrail} on the plugin's database and the Backstage auditor: every attempt gets one
 * row (denied, rejected, failed, or started then succeeded/failed/unknown) and one auditor event.
 */
export class DatabaseAuditTrail implements AuditTrail {
  constructor(
    private readonly options: {
      stores: Pick<Stores, 'audit' | 'finishAction'>;
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
        changeTicket: attempt.changeTicket ?? null,
        gates: attempt.gates
          ? attempt.gates.map(g => `${g.gate}: ${g.result}`).join(', ')
          : null,
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
    return this.options.stores.audit.insert({
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

  async start(
    attempt: AuditAttempt,
    before: AuditBefore,
  ): Promise<StartedAction> {
    const started = {
      ...attempt,
      ownershipProof: before.ownershipProof,
      gates: before.gates,
    };
    const event = await this.event(started);
    const row = await this.insert(started, 'started', undefined, before);
    return { attempt: started, row, event };
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

  /** The verification of the new revision, when the action asks for one. */
  private verification(
    attempt: AuditAttempt,
    auditId: string,
    newTaskDefinition: string,
  ): NewVerification | undefined {
    const { follow, targetService } = attempt;
    if (!follow?.verify || !targetService) return undefined;
    return {
      dedupeKey: `audit:${auditId}`,
      entityRef: attempt.entityRef,
      environment: attempt.toEnvironment,
      targetService,
      taskDefinition: newTaskDefinition,
      trigger: 'promotion',
      auditId,
      requestedBy: attempt.actor,
      autoRollback: follow.autoRollback,
      rolloutDeadlineAt: new Date(this.now().getTime() + follow.timeoutMs),
    };
  }

  async succeed(
    { attempt, row, event }: StartedAction,
    result: RolloutResult,
  ): Promise<ActionOutcome> {
    const { taskDefinition, images } = result;
    const finished = {
      result: 'succeeded' as const,
      newTaskDefinition: taskDefinition.arn,
      newImages: images,
      message: `${attempt.toEnvironment} now runs ${taskDefinition.family}:${taskDefinition.revision}`,
    };
    const follow = this.follow(attempt, taskDefinition.arn);
    await this.options.stores.finishAction(
      row.id,
      finished,
      follow,
      this.verification(attempt, row.id, taskDefinition.arn),
    );
    await event.success({ meta: { newTaskDefinition: taskDefinition.arn } });
    return {
      ...result,
      audit: {
        ...row,
        ...finished,
        finishedAt: this.now().toISOString(),
        ...(follow && { outcome: 'in-progress' as const }),
      },
    };
  }

  async fail({ attempt, row, event }: StartedAction, error: Error) {
    const unknown = error instanceof OutcomeUnknownError;
    // An unknown write is followed too: the follower finds out whether AWS applied it.
    await this.options.stores.finishAction(
      row.id,
      {
        result: unknown ? 'unknown' : 'failed',
        message: error.message,
        ...(unknown && { newTaskDefinition: error.newTaskDefinition }),
      },
      unknown ? this.follow(attempt, error.newTaskDefinition) : undefined,
      unknown
        ? this.verification(attempt, row.id, error.newTaskDefinition)
        : undefined,
    );
    this.options.logger.error(
      `${attempt.action} of ${attempt.entityRef} to ${attempt.toEnvironment} ${
        unknown ? 'has an unknown outcome' : 'failed'
      }: ${error.message}`,
      { entityRef: attempt.entityRef },
    );
    await event.fail({ error });
  }

  history(entityRef: string, services: EcsServiceRef[], limit: number) {
    return this.options.stores.audit.list(entityRef, services, limit);
  }

  lastInto(service: EcsServiceRef, taskDefinitionArn: string) {
    return this.options.stores.audit.findSucceededInto(
      service,
      taskDefinitionArn,
    );
  }
}
