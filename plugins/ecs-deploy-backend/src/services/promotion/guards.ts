/*
 * Guards: pure functions of the two sides, the path, the caller's expectation and the clock. They
 * say why an action would be refused (409), before the caller confirms and again under the lock.
 * Permission (403), proof of ownership (403) and the lock (409 in-flight) are checked elsewhere.
 */
import {
  GuardResult,
  isSameImage,
  ServiceSummary,
  SoakStatus,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  EnvironmentConfig,
  FreezeWindowConfig,
  PromotionPathConfig,
} from '../../config';
import { deriveHealth } from '../status/health';
import type { ServiceState } from '../status/types';
import { activeFreezeWindows } from './freezeWindows';

/** One environment's service, as read for an action. */
export interface Side {
  env: EnvironmentConfig;
  serviceName: string;
  state: ServiceState;
}

/** A container whose image a promotion changes. */
export interface ImageChange {
  container: string;
  from?: string;
  to: string;
}

/** The freeze window open over `environment` at `now`, as a guard. */
export function freezeGuard(
  windows: FreezeWindowConfig[],
  environment: string,
  now: Date,
): GuardResult | undefined {
  const [w] = activeFreezeWindows(windows, now, environment);
  return (
    w && {
      code: 'freeze-window',
      message: `${environment} is frozen by '${w.name}' until ${w.endsAt}${
        w.reason ? ` (${w.reason})` : ''
      }`,
    }
  );
}

const notDeployed = (side: Side): GuardResult => ({
  code: 'not-deployed',
  message: `${side.serviceName} is not deployed in ${side.env.name}`,
});

/** container → image of a side. */
export const imagesByContainer = (side: Side) =>
  new Map((side.state.summary?.images ?? []).map(i => [i.container, i.image]));

/**
 * Containers of the target whose image differs from the source's namesake (`sourceImages`: the
 * source's images, pinned to the digests its tasks run when known).
 */
export function imageChanges(
  sourceImages: Map<string, string>,
  target: Side,
): ImageChange[] {
  return (target.state.summary?.images ?? [])
    .filter(
      i =>
        sourceImages.has(i.container) &&
        !isSameImage(sourceImages.get(i.container)!, i.image),
    )
    .map(i => ({
      container: i.container,
      from: i.image,
      to: sourceImages.get(i.container)!,
    }));
}

/** Since when the service runs its current revision: its deployment's completion, else its start. */
function runningSince(summary: ServiceSummary): string | undefined {
  const current = summary.deployments.find(
    d => d.taskDefinition.arn === summary.taskDefinition.arn,
  );
  if (!current) return summary.lastDeploymentAt;
  return current.rolloutState === 'COMPLETED'
    ? current.updatedAt ?? current.createdAt
    : current.createdAt;
}

/** How long the source has run its images against the path's soak time (none: no soak time). */
export function soakStatus(
  path: PromotionPathConfig,
  source: Side,
  now: Date,
): SoakStatus | undefined {
  const { minSourceAgeMinutes } = path;
  if (!minSourceAgeMinutes) return undefined;
  const since = source.state.summary && runningSince(source.state.summary);
  const elapsed = since ? (now.getTime() - Date.parse(since)) / 60_000 : 0;
  return {
    minSourceAgeMinutes,
    sourceSince: since,
    remainingMinutes: Math.max(0, Math.ceil(minSourceAgeMinutes - elapsed)),
  };
}

/** Everything that refuses promoting `source` into `target` now. */
export function promotionGuards(input: {
  path: PromotionPathConfig;
  source: Side;
  target: Side;
  /** The target's task definition ARN the caller saw. */
  expectedTarget?: string;
  /** The source's images pinned to digests (default: as its task definition names them). */
  sourceImages?: Map<string, string>;
  freezeWindows: FreezeWindowConfig[];
  now: Date;
  /** The promotion carries out an approved request (the path's approval is given). */
  approved?: boolean;
  /** An admin overrides an open freeze window (with a reason, audited). */
  overrideFreeze?: boolean;
}): GuardResult[] {
  const { path, source, target, expectedTarget } = input;
  const sourceImages = input.sourceImages ?? imagesByContainer(source);
  const guards: GuardResult[] = [];
  const freeze = freezeGuard(input.freezeWindows, target.env.name, input.now);
  if (freeze && !input.overrideFreeze) guards.push(freeze);
  if (path.approval && !input.approved) {
    guards.push({
      code: 'approval-required',
      message: `Promotions to ${target.env.name} need an approval: request one; another owner or an admin approves it`,
    });
  }
  const sourceSummary = source.state.summary;
  const targetSummary = target.state.summary;
  if (!sourceSummary || !targetSummary) {
    guards.push(notDeployed(!sourceSummary ? source : target));
    return guards;
  }
  if (path.requireHealthySource) {
    const { health } = deriveHealth(sourceSummary);
    if (health === 'progressing') {
      guards.push({
        code: 'source-rolling-out',
        message: `${source.env.name} is still rolling out (${
          sourceSummary.rolloutStateReason ?? 'deployment in progress'
        }); wait until it completes`,
      });
    } else if (health !== 'healthy') {
      guards.push({
        code: 'source-not-healthy',
        message: `${source.env.name} is ${health}; promote only a healthy ${source.env.name}`,
      });
    }
  }
  const soak = soakStatus(path, source, input.now);
  if (soak && soak.remainingMinutes > 0) {
    guards.push({
      code: 'soak-time',
      message: `soak: ${soak.remainingMinutes} min left (${source.env.name} must run its images for ${soak.minSourceAgeMinutes} min before they go to ${target.env.name})`,
    });
  }
  if (expectedTarget && expectedTarget !== targetSummary.taskDefinition.arn) {
    guards.push(targetChanged(target, expectedTarget));
  }
  const sourceContainers = new Set(sourceSummary.images.map(i => i.container));
  const shared = targetSummary.images.filter(i =>
    sourceContainers.has(i.container),
  );
  if (shared.length === 0) {
    guards.push({
      code: 'already-running',
      message: `No container of ${target.env.name} has a namesake in ${source.env.name}; nothing to promote`,
    });
  } else if (imageChanges(sourceImages, target).length === 0) {
    guards.push({
      code: 'already-running',
      message: `${target.env.name} already runs ${
        source.env.name
      }'s images (${shared.map(i => i.image).join(', ')})`,
    });
  }
  return guards;
}

function targetChanged(target: Side, expected: string): GuardResult {
  const current = target.state.summary!.taskDefinition;
  return {
    code: 'target-changed',
    message: `${target.env.name} changed since you looked: it now runs ${
      current.family
    }:${current.revision}, you saw ${expected.split('/').pop()}. Review again.`,
  };
}

/** Everything that refuses rolling `target` back to `previous` now. */
export function rollbackGuards(input: {
  target: Side;
  /** The revision the last recorded action into the target replaced, if any. */
  previous?: TaskDefinitionRef;
  /** The target's task definition ARN the caller saw. */
  expected?: string;
  freezeWindows: FreezeWindowConfig[];
  now: Date;
  /** An open freeze window does not apply (the backend's automatic rollback). */
  overrideFreeze?: boolean;
}): GuardResult[] {
  const { target, previous, expected } = input;
  const guards: GuardResult[] = [];
  const freeze = freezeGuard(input.freezeWindows, target.env.name, input.now);
  if (freeze && !input.overrideFreeze) guards.push(freeze);
  const current = target.state.summary;
  if (!current) {
    guards.push(notDeployed(target));
    return guards;
  }
  if (expected && expected !== current.taskDefinition.arn) {
    guards.push(targetChanged(target, expected));
  }
  if (!previous) {
    guards.push({
      code: 'no-previous-revision',
      message: `No promotion or rollback into ${target.env.name} recorded for ${current.taskDefinition.family}:${current.taskDefinition.revision}; nothing to roll back to`,
    });
  }
  return guards;
}
