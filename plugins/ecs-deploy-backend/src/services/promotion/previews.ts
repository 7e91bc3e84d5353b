/*
 * Previews: what a promotion or rollback would change and everything that would refuse it now
 * (the policy on the target, ownership, a write in flight, the guards, the promotion gates), so
 * that the caller sees before confirming what the write would say.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ecsDeployTargetPromotePermission,
  ecsDeployTargetRollbackPermission,
  getEcsServiceName,
  GuardResult,
  PromotionPreview,
  PromotionPreviewQuery,
  RollbackPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { withApproval } from '../../config';
import { entityEnvironment, promotionPath } from '../environments';
import { gateContext } from '../gates/context';
import type { GateEvaluation } from '../gates/types';
import type { TargetQuestion } from '../permissions/TargetPermissions';
import { ecsServiceRef } from '../serviceRef';
import { imagesOf } from '../status/summarize';
import type { Caller } from '../catalog/types';
import type { PromotionDeps } from './deps';
import { previewChecks } from '../preflight/previewChecks';
import {
  imageChanges,
  imagesByContainer,
  promotionGuards,
  rollbackGuards,
  Side,
  soakStatus,
} from './guards';
import { mayOverrideFreeze, notPermitted, promotionPermit } from './permission';
import { callerBlockers, requestBlockers } from './requestBlockers';
import { previousRevision } from './revisions';
import { readSide, readSideForPreview } from './sides';

/** Blockers every preview shares: the caller's, and a write in flight. */
async function commonBlockers(
  deps: PromotionDeps,
  question: TargetQuestion | undefined,
  entity: Entity,
  caller: Caller,
  sides: Side[],
  target: Pick<Side, 'env' | 'serviceName'>,
): Promise<GuardResult[]> {
  const blockers = await callerBlockers(deps, question, entity, caller, sides);
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

const NO_GATES: GateEvaluation = { verdicts: [], blockers: [], warnings: [] };

/**
 * What promoting `from` → `to` would change and everything that would refuse it, including the
 * caller's permission and the promotion gates (given the reason and change ticket the caller
 * would give): `allowed` is true only when the caller's promotion would be accepted now.
 */
export async function previewPromotion(
  deps: PromotionDeps,
  entity: Entity,
  query: PromotionPreviewQuery,
  caller: Caller,
): Promise<PromotionPreview> {
  const { settings, store } = deps;
  const { from, to } = query;
  const envs = promotionPath(settings, entity, from, to);
  const permit = await promotionPermit(deps.targets, entity, caller, {
    from,
    to,
  });
  // Allowed only through an approved request: the path needs an approval for this caller.
  const path = permit === 'approval' ? withApproval(envs.path) : envs.path;
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
  const gates =
    source && target && deps.gates.names.length > 0
      ? await deps.gates.evaluate(
          gateContext({
            phase: 'preview',
            entity,
            caller,
            path,
            source,
            target,
            reason: query.reason,
            changeTicket: query.changeTicket,
          }),
        )
      : NO_GATES;
  const sides = [source, target].filter((s): s is Side => s !== undefined);
  const verification = source && (await deps.verificationBlocker(source));
  const checked =
    source?.state.summary && target?.state.summary && unreadable.length === 0
      ? await previewChecks(deps, source, target)
      : undefined;
  const blockers = [
    ...unreadable,
    ...(permit === 'denied'
      ? [
          notPermitted(entity, caller, {
            permission: ecsDeployTargetPromotePermission,
            to,
          }),
        ]
      : []),
    ...(await commonBlockers(deps, undefined, entity, caller, sides, {
      env: envs.target,
      serviceName: getEcsServiceName(entity, to),
    })),
    ...guards,
    ...(verification ? [verification] : []),
    ...(checked?.blockers ?? []),
    ...gates.blockers,
  ];
  const frozen = guards.some(g => g.code === 'freeze-window');
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
    entityRef: stringifyEntityRef(entity),
    from,
    to,
    source: source && view(source),
    target: target && view(target),
    changes:
      source && target ? imageChanges(imagesByContainer(source), target) : [],
    blockers,
    ...(gates.warnings.length > 0 && { warnings: gates.warnings }),
    allowed: blockers.length === 0,
    approval,
    soak: source && soakStatus(path, source, deps.now()),
    canOverrideFreeze:
      frozen && (await mayOverrideFreeze(deps.permissions, caller)),
    preflight: checked?.preflight,
    differences: checked?.differences,
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
      { permission: ecsDeployTargetRollbackPermission, to: environment },
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
