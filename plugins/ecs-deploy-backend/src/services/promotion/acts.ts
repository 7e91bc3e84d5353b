/*
 * The steps of a promotion or rollback that run under the target's lock, within the write
 * deadline: `prepare` (fresh reads, proof of ownership, guards, then a promotion's gates: what
 * the rollout replaces and what it rolls out) and `executeRollout`.
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
} from './types';
import type { Caller } from '../catalog/types';
import { GateBlockedError, GuardError } from '../errors';
import { gateContext } from '../gates/context';
import { promotionChecks } from '../preflight/promotionChecks';
import { preflightBlockers } from '../preflight/types';
import type { PromotionDeps } from './deps';
import { promotionGuards, rollbackGuards, Side } from './guards';
import type { Revision } from './revisions';
import { exactImages, readSide, requireOwnership } from './sides';

/** A write that passed its guards: what it replaces, and the rollout that follows. */
export interface PreparedRollout {
  target: Side;
  before: AuditBefore;
  /** The revision to copy, and the images its copy gets. */
  base: string;
  images: Map<string, string>;
  /** A rollback: the strategy's traffic moves back at once, without bakes or holds. */
  rollback: boolean;
}

/** What the target runs now (the audit row starts with it), and what replaces it. */
function prepared(
  target: Side,
  ownershipProof: AuditBefore['ownershipProof'],
  base: string,
  images: Map<string, string>,
  rollback: boolean,
  gates?: AuditBefore['gates'],
): PreparedRollout {
  const current = target.state.summary!;
  return {
    target,
    before: {
      previousTaskDefinition: current.taskDefinition.arn,
      previousImages: current.images,
      ownershipProof,
      ...(gates && { gates }),
    },
    base,
    images,
    rollback,
  };
}

/** Rolls the target out to a copy of the prepared base with the prepared images. */
export function executeRollout(
  rollout: TaskDefinitionRollout,
  { target, base, images, rollback }: PreparedRollout,
  signal: AbortSignal,
): Promise<RolloutResult> {
  return rollout.rollOut({
    env: target.env,
    serviceName: target.serviceName,
    baseTaskDefinition: base,
    images,
    imageParameterPrefix: target.state.imageParameterPrefix,
    rollback,
    signal,
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

/**
 * Prepares promoting the source's images (or exactly a request's) into the target: the guards,
 * then, when they all pass, the promotion gates (a 409 naming each gate that blocks).
 */
export async function preparePromotion(
  deps: PromotionDeps,
  entity: Entity,
  envs: {
    /** The path, with the approval it needs for this caller. */
    path: PromotionPathConfig;
    source: EnvironmentConfig;
    target: EnvironmentConfig;
  },
  options: {
    caller: Caller;
    expectedTarget?: string;
    overrideFreeze: boolean;
    /** An approved request: its images, and the approval the path requires. */
    requested?: PromotionRequest;
    reason?: string;
    changeTicket?: string;
  },
  signal: AbortSignal,
): Promise<PreparedRollout> {
  const { settings, store, reader } = deps;
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
  const verification = await deps.verificationBlocker(source);
  if (verification) throw new GuardError(verification);
  // The pre-flight checks again, afresh, on exactly what is rolled out.
  const { preflight } = await promotionChecks(deps, source, target, {
    fresh: true,
    images,
    signal,
  });
  const [blocked] = preflightBlockers(preflight);
  if (blocked) throw new GuardError(blocked);
  const gates =
    deps.gates.names.length > 0
      ? await deps.gates.evaluate(
          gateContext({
            phase: 'write',
            entity,
            caller: options.caller,
            path: envs.path,
            source,
            target,
            sourceImages: images,
            request: options.requested,
            reason: options.reason,
            changeTicket: options.changeTicket,
          }),
          signal,
        )
      : undefined;
  if (gates?.blockers.length) {
    throw new GateBlockedError(gates.blockers, gates.verdicts);
  }
  return prepared(
    target,
    ownershipProof,
    target.state.summary!.taskDefinition.arn,
    images!,
    false,
    gates?.verdicts,
  );
}

/** Prepares rolling the target forward to a copy of an earlier revision (Terraform's track_latest agrees). */
export async function prepareRollback(
  deps: PromotionDeps,
  entity: Entity,
  to: EnvironmentConfig,
  options: {
    expected?: string;
    overrideFreeze: boolean;
    /** The revision to return to. */
    previous: (target: Side) => Promise<Revision | undefined> | undefined;
  },
): Promise<PreparedRollout> {
  const { settings, store } = deps;
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
  return prepared(
    target,
    ownershipProof,
    previous!.ref.arn,
    new Map(imagesOf(previous!.td).map(i => [i.container, i.image])),
    true,
  );
}
