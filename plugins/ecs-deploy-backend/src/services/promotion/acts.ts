/*
 * The part of a promotion or rollback that runs under the target's lock, within the write
 * deadline: fresh reads, proof of ownership, guards, then the rollout.
 */
import { Entity } from '@backstage/catalog-model';
import {
  isSameImage,
  PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EnvironmentConfig, PromotionPathConfig } from '../../config';
import { imagesOf } from '../status/summarize';
import type {
  AuditBefore,
  RolloutResult,
  TaskDefinitionRollout,
} from '../types';
import { GuardError, promotionGuards, rollbackGuards, Side } from './guards';
import { PromotionDeps, Revision } from './previews';
import { exactImages, readSide, requireOwnership } from './sides';

/** The part of a write that runs under the target's lock, within the deadline. */
export type Act = (
  signal: AbortSignal,
  start: (before: AuditBefore) => Promise<void>,
) => Promise<RolloutResult>;

/**
 * Past the guards: records what the target runs now (the audit row starts), then rolls it out to
 * a copy of `base` with `images`.
 */
async function startRollout(
  rollout: TaskDefinitionRollout,
  target: Side,
  start: (before: AuditBefore) => Promise<void>,
  ownershipProof: AuditBefore['ownershipProof'],
  next: { base: string; images: Map<string, string>; signal: AbortSignal },
): Promise<RolloutResult> {
  const current = target.state.summary!;
  await start({
    previousTaskDefinition: current.taskDefinition.arn,
    previousImages: current.images,
    ownershipProof,
  });
  return rollout.rollOut({
    env: target.env,
    serviceName: target.serviceName,
    baseTaskDefinition: next.base,
    images: next.images,
    imageParameterPrefix: target.state.imageParameterPrefix,
    signal: next.signal,
  });
}

const list = (images: Map<string, string>) =>
  [...images].map(([c, i]) => `${c}: ${i}`).join(', ');

/** A 409 when the source no longer runs the images a request asked for. */
function staleRequest(
  source: Side,
  running: Map<string, string>,
  requested: Map<string, string>,
): GuardError | undefined {
  const moved = [...requested].some(
    ([container, image]) =>
      !running.has(container) || !isSameImage(running.get(container)!, image),
  );
  return moved
    ? new GuardError({
        code: 'stale-request',
        message: `${source.env.name} moved on since the request: it runs ${list(
          running,
        )}, the request was for ${list(
          requested,
        )}. Request the promotion again.`,
      })
    : undefined;
}

/** Promotes the source's images (or exactly a request's) into the target. */
export function promoteAct(
  deps: PromotionDeps,
  rollout: TaskDefinitionRollout,
  entity: Entity,
  envs: {
    path: PromotionPathConfig;
    source: EnvironmentConfig;
    target: EnvironmentConfig;
  },
  options: {
    expectedTarget?: string;
    overrideFreeze: boolean;
    /** An approved request: its images, and the approval the path requires. */
    requested?: PromotionRequest;
  },
): Act {
  const { settings, store, reader } = deps;
  return async (signal, start) => {
    const [source, target] = await Promise.all([
      readSide(store, entity, envs.source, true),
      readSide(store, entity, envs.target, true),
    ]);
    const ownershipProof = requireOwnership(settings, entity, source, target);
    let images = source.state.summary
      ? await exactImages(reader, source, signal)
      : undefined;
    if (images && options.requested) {
      const requested = new Map(
        options.requested.images.map(i => [i.container, i.image]),
      );
      const stale = staleRequest(source, images, requested);
      if (stale) throw stale;
      images = requested;
    }
    const [guard] = promotionGuards({
      path: envs.path,
      source,
      target,
      expectedTarget: options.expectedTarget,
      sourceImages: images,
      freezeWindows: settings.freezeWindows,
      now: deps.now(),
      approved: options.requested !== undefined,
      overrideFreeze: options.overrideFreeze,
    });
    if (guard) throw new GuardError(guard);
    return startRollout(rollout, target, start, ownershipProof, {
      base: target.state.summary!.taskDefinition.arn,
      images: images!,
      signal,
    });
  };
}

/** Rolls the target forward to a copy of an earlier revision, so Terraform (track_latest) agrees. */
export function rollbackAct(
  deps: PromotionDeps,
  rollout: TaskDefinitionRollout,
  entity: Entity,
  to: EnvironmentConfig,
  options: {
    expected?: string;
    overrideFreeze: boolean;
    /** The revision to return to. */
    previous: (target: Side) => Promise<Revision | undefined> | undefined;
  },
): Act {
  const { settings, store } = deps;
  return async (signal, start) => {
    const target = await readSide(store, entity, to, true);
    const ownershipProof = requireOwnership(settings, entity, target);
    const previous = target.state.summary
      ? await options.previous(target)
      : undefined;
    const [guard] = rollbackGuards({
      target,
      previous: previous?.ref,
      expected: options.expected,
      freezeWindows: settings.freezeWindows,
      now: deps.now(),
      overrideFreeze: options.overrideFreeze,
    });
    if (guard) throw new GuardError(guard);
    return startRollout(rollout, target, start, ownershipProof, {
      base: previous!.ref.arn,
      images: new Map(imagesOf(previous!.td).map(i => [i.container, i.image])),
      signal,
    });
  };
}
