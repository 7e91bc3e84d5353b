/*
 * What refuses a promotion request by the caller (and what the preview's approval panel shows):
 * the permission to request into the target, proof of ownership of both sides, a pending request,
 * and the promotion's guards but those an approval checks (freeze, soak, the approval itself, the
 * promotion gates: an approval evaluates them when it promotes).
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ecsDeployTargetRequestPromotionPermission,
  GuardResult,
  PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { PromotionPathConfig } from '../../config';
import type { Caller } from '../catalog/types';
import type { TargetQuestion } from '../permissions/TargetPermissions';
import type { PromotionDeps } from './deps';
import { promotionGuards, Side } from './guards';
import { permissionRefusal } from './permission';
import { ownershipRefusal } from './sides';

/** Guards an approval checks when it promotes, not when the promotion is requested. */
const CHECKED_AT_APPROVAL: Array<GuardResult['code']> = [
  'freeze-window',
  'soak-time',
  'approval-required',
];

/** The entity's request on the path that waits for a decision (overdue ones expire first). */
async function pendingRequest(
  deps: Pick<PromotionDeps, 'requests' | 'now'>,
  entityRef: string,
  path: PromotionPathConfig,
) {
  await deps.requests.expireOverdue(entityRef, deps.now());
  const pending = await deps.requests.list(entityRef, {
    state: 'pending',
    limit: 20,
  });
  return pending.find(r => r.from === path.from && r.to === path.to);
}

/**
 * What refuses the caller whatever the guards say: the policy on the target (when a question is
 * given), ownership of each side.
 */
export async function callerBlockers(
  deps: PromotionDeps,
  question: TargetQuestion | undefined,
  entity: Entity,
  caller: Caller,
  sides: Side[],
): Promise<GuardResult[]> {
  const blockers: GuardResult[] = [];
  const refused =
    question &&
    (await permissionRefusal(deps.targets, entity, caller, question));
  if (refused) blockers.push(refused);
  for (const side of sides) {
    const refusal = ownershipRefusal(deps.settings, entity, side);
    if (refusal) blockers.push({ code: 'not-owned', message: refusal });
  }
  return blockers;
}

/**
 * Everything that refuses a request for this promotion by the caller now, and the pending request
 * (returned too).
 */
export async function requestBlockers(
  deps: PromotionDeps,
  entity: Entity,
  caller: Caller,
  path: PromotionPathConfig,
  source: Side,
  target: Side,
  sourceImages?: Map<string, string>,
  expectedTarget?: string,
): Promise<{ blockers: GuardResult[]; pending?: PromotionRequest }> {
  const entityRef = stringifyEntityRef(entity);
  const blockers = await callerBlockers(
    deps,
    {
      permission: ecsDeployTargetRequestPromotionPermission,
      from: path.from,
      to: path.to,
    },
    entity,
    caller,
    [source, target],
  );
  const pending = await pendingRequest(deps, entityRef, path);
  if (pending) {
    blockers.push({
      code: 'request-pending',
      message: `${pending.requester} already requested this promotion (${pending.reason}); it waits for a decision until ${pending.expiresAt}`,
    });
  }
  const guards = promotionGuards({
    path,
    source,
    target,
    sourceImages,
    expectedTarget,
    freezeWindows: deps.settings.freezeWindows,
    now: deps.now(),
  });
  return {
    blockers: [
      ...blockers,
      ...guards.filter(g => !CHECKED_AT_APPROVAL.includes(g.code)),
    ],
    pending,
  };
}
