import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  GuardResult,
  PromotionPreview,
  RollbackPreview,
} from '@internal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../../config';
import { entityEnvironment, promotionPath } from '../environments';
import { ecsServiceRef } from '../serviceRef';
import { imagesOf, parseTaskDefinitionRef } from '../status/summarize';
import type {
  AuditTrail,
  Caller,
  DeploymentLock,
  EcsReader,
  ServiceStateStore,
} from '../types';
import {
  imageChanges,
  imagesByContainer,
  promotionGuards,
  rollbackGuards,
  Side,
} from './guards';
import { permissionRefusal } from './permission';
import { ownershipRefusal, readSide } from './sides';

/** What previews and writes share: settings, the state cache, the audit trail, the lock. */
export interface PromotionDeps {
  settings: EcsDeployConfig;
  store: ServiceStateStore;
  reader: EcsReader;
  audit: AuditTrail;
  lock: DeploymentLock;
  permissions: PermissionsService;
  now: () => Date;
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
  const td = await deps.reader.taskDefinition(
    target.env,
    record.previousTaskDefinition,
  );
  return { td, ref: parseTaskDefinitionRef(td.taskDefinitionArn!, td) };
}

/** Blockers every preview shares: permission, ownership of each side, a write in flight. */
async function commonBlockers(
  deps: PromotionDeps,
  permission: typeof ecsDeployPromotePermission,
  entity: Entity,
  caller: Caller,
  sides: Side[],
  target: Side,
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
  const [source, target] = await Promise.all([
    readSide(store, entity, envs.source, false),
    readSide(store, entity, envs.target, false),
  ]);
  const blockers = [
    ...(await commonBlockers(
      deps,
      ecsDeployPromotePermission,
      entity,
      caller,
      [source, target],
      target,
    )),
    ...promotionGuards({
      path,
      source,
      target,
      freezeWindows: settings.freezeWindows,
      now: deps.now(),
    }),
  ];
  return {
    entityRef: stringifyEntityRef(entity),
    from,
    to,
    source: view(source),
    target: view(target),
    changes: imageChanges(imagesByContainer(source), target),
    blockers,
    allowed: blockers.length === 0,
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
