import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  describeImage,
  ecsDeployTargetApprovePromotionPermission,
  getEcsServiceName,
  PromotionRequest,
  PromotionRequestCreate,
  PromotionRequestDecisionBody,
  PromotionRequestState,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { withApproval } from '../../config';
import { promotionPath } from '../environments';
import { GuardError } from '../errors';
import type { PromotionDeps } from './deps';
import { permissionRefusal, promotionPermit } from './permission';
import { requestBlockers } from './requestBlockers';
import { exactImages, readSide } from './sides';
import { refuse, runWrite } from './write';
import { ecsServiceRef } from '../serviceRef';
import type { Caller } from '../catalog/types';
import type { DeploymentNotifier } from '../notify/types';
import type {
  AuditAttempt,
  PromotionRequestService,
  PromotionService,
} from './types';

/** Refusals that mean the request no longer describes what it asked for. */
const STALE: string[] = ['stale-request', 'target-changed'];

/**
 * Promotions on paths that need an approval: an owner requests one with a reason (the source's
 * images, pinned); another owner or an admin (never the requester) approves it, which promotes
 * exactly those images, or rejects it. Every step is in the audit trail and notified.
 */
export class DefaultPromotionRequestService implements PromotionRequestService {
  constructor(
    private readonly options: {
      deps: PromotionDeps;
      promotions: PromotionService;
      notifier: DeploymentNotifier;
    },
  ) {}

  private attempt(
    entity: Entity,
    request: Pick<PromotionRequest, 'from' | 'to'> & { id?: string },
    caller: Caller,
    action: AuditAttempt['action'],
    reason?: string,
  ): AuditAttempt {
    const to = this.options.deps.settings.environments.find(
      e => e.name === request.to,
    )!;
    return {
      action,
      entityRef: stringifyEntityRef(entity),
      actor: caller.userEntityRef,
      fromEnvironment: request.from,
      toEnvironment: request.to,
      targetService: ecsServiceRef(to, getEcsServiceName(entity, to.name)),
      requestId: request.id,
      reason,
    };
  }

  async create(
    entity: Entity,
    body: PromotionRequestCreate,
    caller: Caller,
  ): Promise<PromotionRequest> {
    const { deps, notifier } = this.options;
    const { settings, store, reader, audit, lock } = deps;
    const {
      path: configured,
      source: from,
      target: to,
    } = promotionPath(settings, entity, body.from, body.to);
    // An approval is needed when the path says so, or when the policy allows the caller's
    // promotion only through an approved request.
    if (
      !configured.approval &&
      (await promotionPermit(deps.targets, entity, caller, {
        from: from.name,
        to: to.name,
      })) === 'allowed'
    ) {
      throw new InputError(
        `Promotions from '${from.name}' to '${to.name}' need no approval: promote directly`,
      );
    }
    const path = withApproval(configured);
    const attempt = this.attempt(
      entity,
      { from: from.name, to: to.name },
      caller,
      'request-promotion',
      body.reason,
    );
    const request = await runWrite(
      { audit, lock, deadlineMs: settings.writeDeadlineMs },
      {
        attempt,
        service: attempt.targetService!,
        what: `The promotion request of ${attempt.targetService!.serviceName}`,
        prepare: async signal => {
          const [source, target] = await Promise.all([
            readSide(store, entity, from, true),
            readSide(store, entity, to, true),
          ]);
          const images = source.state.summary
            ? await exactImages(reader, source, signal)
            : undefined;
          const {
            blockers: [blocker],
          } = await requestBlockers(
            deps,
            entity,
            caller,
            path,
            source,
            target,
            images,
            body.expectedTargetTaskDefinition,
          );
          if (blocker) {
            throw ['not-permitted', 'not-owned'].includes(blocker.code)
              ? new NotAllowedError(blocker.message)
              : new GuardError(blocker);
          }
          return { source, target, images: images! };
        },
        // A request changes no ECS service: its one row is written when it is stored.
        start: async () => ({
          finish: async (stored: PromotionRequest) => {
            await audit.note(
              { ...attempt, requestId: stored.id },
              `Requested ${stored.images.map(i => i.image).join(', ')} for ${
                to.name
              }; expires ${stored.expiresAt}`,
            );
            return stored;
          },
          fail: async error => {
            await audit.refuse(attempt, 'failed', error);
          },
        }),
        execute: ({ source, target, images }) =>
          deps.requests.insert({
            entityRef: attempt.entityRef,
            from: from.name,
            to: to.name,
            images: [...images].map(([c, i]) => describeImage(c, i)),
            sourceTaskDefinition: source.state.summary!.taskDefinition.arn,
            targetTaskDefinition: target.state.summary!.taskDefinition.arn,
            requester: caller.userEntityRef,
            reason: body.reason,
            changeTicket: body.changeTicket,
            expiresAt: new Date(
              deps.now().getTime() + path.approval!.expiresAfterMs,
            ).toISOString(),
          }),
      },
    );
    await notifier.publish({
      subject: 'request',
      kind: 'requested',
      request,
      entity,
      actor: caller.userEntityRef,
    });
    return request;
  }

  async list(
    entity: Entity,
    query: { state?: PromotionRequestState; limit: number },
    caller: Caller,
  ) {
    const { requests, targets, now } = this.options.deps;
    const entityRef = stringifyEntityRef(entity);
    await requests.expireOverdue(entityRef, now());
    const items = await requests.list(entityRef, query);
    const into = [...new Set(items.map(r => r.to))];
    const answers = await targets.decide(
      entity,
      caller,
      into.map(to => ({
        permission: ecsDeployTargetApprovePromotionPermission,
        to,
      })),
    );
    const mayDecide = new Set(into.filter((_, i) => answers[i]));
    return {
      items: items.map(r => ({
        ...r,
        canDecide:
          mayDecide.has(r.to) &&
          r.state === 'pending' &&
          r.requester !== caller.userEntityRef,
      })),
    };
  }

  /** The entity's request `id`, overdue ones expired first; a 404 otherwise. */
  private async load(entity: Entity, id: string) {
    const { requests, now } = this.options.deps;
    const entityRef = stringifyEntityRef(entity);
    await requests.expireOverdue(entityRef, now());
    const request = await requests.get(id);
    if (!request || request.entityRef !== entityRef) {
      throw new NotFoundError(`No promotion request ${id} for ${entityRef}`);
    }
    return request;
  }

  /** A 409 (audited as rejected) when the request was already decided or expired. */
  private async requirePending(request: PromotionRequest, row: AuditAttempt) {
    if (request.state === 'pending') return;
    const error = new ConflictError(
      `The promotion request ${request.id} is ${request.state}${
        request.decidedBy ? ` (by ${request.decidedBy})` : ''
      }${request.message ? `: ${request.message}` : ''}`,
    );
    await refuse(this.options.deps.audit, row, error);
  }

  async approve(
    entity: Entity,
    id: string,
    body: PromotionRequestDecisionBody,
    caller: Caller,
  ) {
    const { deps, promotions, notifier } = this.options;
    const request = await this.load(entity, id);
    const row = this.attempt(entity, request, caller, 'promote', body.reason);
    if (request.requester === caller.userEntityRef) {
      await refuse(
        deps.audit,
        row,
        new NotAllowedError(
          `${caller.userEntityRef} requested this promotion and may not approve it: another owner or an admin approves it`,
        ),
      );
    }
    await this.requirePending(request, row);
    let outcome;
    try {
      outcome = await promotions.promoteApproved(
        entity,
        request,
        caller,
        body.overrideReason,
      );
    } catch (error) {
      if (error instanceof GuardError && STALE.includes(error.guard.code)) {
        const stale = { state: 'stale' as const, message: error.message };
        if (await deps.requests.transition(id, 'pending', stale)) {
          await notifier.publish({
            subject: 'request',
            kind: 'stale',
            request: { ...request, ...stale },
            entity,
            actor: caller.userEntityRef,
          });
        }
      }
      throw error;
    }
    await deps.requests.transition(id, 'pending', {
      state: 'approved',
      decidedBy: caller.userEntityRef,
      decidedAt: deps.now().toISOString(),
      decisionReason: body.reason,
      auditId: outcome.audit.id,
    });
    const approved = (await deps.requests.get(id))!;
    await notifier.publish({
      subject: 'request',
      kind: 'approved',
      request: approved,
      entity,
      actor: caller.userEntityRef,
    });
    return { request: approved, outcome };
  }

  async reject(
    entity: Entity,
    id: string,
    body: PromotionRequestDecisionBody,
    caller: Caller,
  ) {
    const { deps, notifier } = this.options;
    const request = await this.load(entity, id);
    const row = this.attempt(
      entity,
      request,
      caller,
      'reject-promotion',
      body.reason,
    );
    const withdraw = request.requester === caller.userEntityRef;
    const refused =
      !withdraw &&
      (await permissionRefusal(deps.targets, entity, caller, {
        permission: ecsDeployTargetApprovePromotionPermission,
        from: request.from,
        to: request.to,
      }));
    if (refused) {
      await refuse(deps.audit, row, new NotAllowedError(refused.message));
    }
    await this.requirePending(request, row);
    const decision = {
      state: withdraw ? ('withdrawn' as const) : ('rejected' as const),
      decidedBy: caller.userEntityRef,
      decidedAt: deps.now().toISOString(),
      decisionReason: body.reason,
    };
    if (!(await deps.requests.transition(id, 'pending', decision))) {
      await this.requirePending((await deps.requests.get(id))!, row);
    }
    await deps.audit.note(
      row,
      `${caller.userEntityRef} ${
        withdraw ? 'withdrew' : 'rejected'
      } the request of ${request.requester}`,
    );
    const decided = { ...request, ...decision };
    await notifier.publish({
      subject: 'request',
      kind: decision.state,
      request: decided,
      entity,
      actor: caller.userEntityRef,
    });
    return decided;
  }
}
