import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ecsDeployPromotePermission,
  getEcsServiceName,
  ecsDeployRequestPromotionPermission,
  ecsDeployRollbackPermission,
  GuardResult,
  PromotionPreview,
  PromotionRequest,
  RollbackPreview,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig, PromotionPathConfig } from '../../config';
import { PromotionRequestStore } from '../../database/PromotionRequestStore';
import { entityEnvironment, promotionPath } from '../environments';
import { ecsServiceRef } from '../serviceRef';
import { imagesOf, parseTaskDefinitionRef } from '../status/summarize';
import type { EcsReader } from '../aws/types';
import type { Caller } from '../catalog/types';
import type { AuditTrail, DeploymentLock } from './types';
import type { ServiceStateStore } from '../status/types';
import {
  imageChanges,
  imagesByContainer,
  promotionGuards,
  rollbackGuards,
  Side,
  soakStatus,
} from './guards';
import { mayOverrideFreeze, permissionRefusal } from './permission';
import { ownershipRefusal, readSide, readSideForPreview } from './sides';

/** What previews and writes share: settings, the state cache, the audit trail, the lock. */
export interface PromotionDeps {
  settings: EcsDeployConfig;
  store: ServiceStateStore;
  reader: EcsReader;
  audit: AuditTrail;
  lock: DeploymentLock;
  permissions: PermissionsService;
  requests: PromotionRequestStore;
  now: () => Date;
}

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

/** What refuses the caller whatever the guards say: the permission, ownership of each side. */
async function callerBlockers(
  deps: PromotionDeps,
  permission: typeof ecsDeployPromotePermission,
  entity: Entity,
  caller: Caller,
  sides: Side[],
): Promise<GuardResult[]> {
  const blockers: GuardResult[] = [];
  const refused = await permissionRefusal(
    deps.permissions,
    permission,
    entity,
    caller,
  );
  if (refused) blockers.push(refused);
  for (const side of sides) {
    const refusal = ownershipRefusal(deps.settings, entity, side);
    if (refusal) blockers.push({ code: 'not-owned', message: refusal });
  }
  return blockers;
}

/**
 * Everything that refuses a request for this promotion by the caller now: permission, proof of
 * ownership, a pending request (returned too), and the promotion's guards but those an approval
 * checks.
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
    ecsDeployRequestPromotionPermission,
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

/** A revision of the target's task definition, as a rollback rolls forward to a copy of it. */
export interface Revision {
  td: TaskDefinition;
  ref: TaskDefinitionRef;
}

/** A revision of the target's task definition, as a rollback rolls forward to a copy of it. */
export async function revision(
  deps: PromotionDeps,
  target: Side,
  arn: string,
): Promise<Revision> {
  const td = await deps.reader.taskDefinition(target.env, arn);
  return { td, ref: parseTaskDefinitionRef(td.taskDefinitionArn!, td) };
}

/** The revision the last recorded action into the target replaced (what a rollback returns to). */
export async function previousRevision(deps: PromotionDeps, target: Side) {
  const current = target.state.summary;
  if (!current) return undefined;
  const record = await deps.audit.lastInto(
    ecsServiceRef(target.env, target.serviceName),
    current.taskDefinition.arn,
  );
  if (!record?.previousTaskDefinition) return undefined;
  return revision(deps, target, record.previousTaskDefinition);
}

/** Blockers every preview shares: the caller's, and a write in flight. */
async function commonBlockers(
  deps: PromotionDeps,
  permission: typeof ecsDeployPromotePermission,
  entity: Entity,
  caller: Caller,
  sides: Side[],
  target: Pick<Side, 'env' | 'serviceName'>,
): Promise<GuardResult[]> {
  const blockers = await callerBlockers(
    deps,
    permission,
    entity,
    caller,
    sides,
  );
  if (await deps.lock.isLocked(ecsServiceRef(target.env, target.serviceName))) {
    blockers.push({
      code: 'in-flight',
      message: `Another promotion or rollback of ${target.serviceName} in ${target.env.name} is in progress`,
    });
  }
  return blockers;
}

const view = (s: Side) =>
  s.state.summary && {
    taskDefinition: s.state.summary.taskDefinition,
    images: s.state.summary.images,
  };

/**
 * What promoting `from` → `to` would change and everything that would refuse it, including the
 * caller's permission: `allowed` is true only when the caller's promotion would be accepted now.
 */
export async function previewPromotion(
  deps: PromotionDeps,
  entity: Entity,
  from: string,
  to: string,
  caller: Caller,
): Promise<PromotionPreview> {
  const { settings, store } = deps;
  const { path, ...envs } = promotionPath(settings, entity, from, to);
  const [read, readTarget] = await Promise.all([
    readSideForPreview(store, entity, envs.source),
    readSideForPreview(store, entity, envs.target),
  ]);
  // During an AWS outage the preview still answers: with the last known states where there are
  // any, and a blocker naming each environment that could not be read.
  const unreadable = [read.unreadable, readTarget.unreadable].filter(
    (u): u is GuardResult => u !== undefined,
  );
  const source = read.side;
  const target = readTarget.side;
  const guards =
    source && target
      ? promotionGuards({
          path,
          source,
          target,
          freezeWindows: settings.freezeWindows,
          now: deps.now(),
        })
      : [];
  const sides = [source, target].filter((s): s is Side => s !== undefined);
  const blockers = [
    ...unreadable,
    ...(await commonBlockers(
      deps,
      ecsDeployPromotePermission,
      entity,
      caller,
      sides,
      { env: envs.target, serviceName: getEcsServiceName(entity, to) },
    )),
    ...guards,
  ];
  const frozen = guards.some(g => g.code === 'freeze-window');
  const entityRef = stringifyEntityRef(entity);
  let approval: PromotionPreview['approval'];
  if (path.approval && source && target) {
    const { blockers: refusals, pending } = await requestBlockers(
      deps,
      entity,
      caller,
      path,
      source,
      target,
    );
    approval = {
      required: true,
      canRequest: refusals.length === 0,
      requestBlockers: refusals,
      pending,
    };
  }
  return {
    entityRef,
    from,
    to,
    source: source && view(source),
    target: target && view(target),
    changes:
      source && target ? imageChanges(imagesByContainer(source), target) : [],
    blockers,
    allowed: blockers.length === 0,
    approval,
    soak: source && soakStatus(path, source, deps.now()),
    canOverrideFreeze:
      frozen && (await mayOverrideFreeze(deps.permissions, caller)),
  };
}

/** What rolling `environment` back would change and everything that would refuse it. */
export async function previewRollback(
  deps: PromotionDeps,
  entity: Entity,
  environment: string,
  caller: Caller,
): Promise<RollbackPreview> {
  const { settings, store } = deps;
  const env = entityEnvironment(settings, entity, environment);
  const target = await readSide(store, entity, env, false);
  const previous = await previousRevision(deps, target);
  const blockers = [
    ...(await commonBlockers(
      deps,
      ecsDeployRollbackPermission,
      entity,
      caller,
      [target],
      target,
    )),
    ...rollbackGuards({
      target,
      previous: previous?.ref,
      freezeWindows: settings.freezeWindows,
      now: deps.now(),
    }),
  ];
  return {
    entityRef: stringifyEntityRef(entity),
    environment,
    current: view(target),
    previous: previous && {
      taskDefinition: previous.ref,
      images: imagesOf(previous.td),
    },
    blockers,
    allowed: blockers.length === 0,
  };
}
