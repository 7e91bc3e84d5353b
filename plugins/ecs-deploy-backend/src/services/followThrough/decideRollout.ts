/*
 * What one look at the target says about a rollout the backend follows: pure, no I/O. The
 * follower reads the target fresh, asks this, and records what it answers.
 */
import type { StateResult } from '../status/types';

/** Where a followed rollout stands after one look. */
export type RolloutDecision =
  /** Not ended yet. */
  | { kind: 'wait'; applied: boolean }
  /** The expected revision's deployment COMPLETED with every task running. */
  | { kind: 'rolled-out'; applied: true; message: string }
  /**
   * It failed. `rollBack`: the failure is the rollout's own (its deployment failed, ECS's circuit
   * breaker rolled it back, or it missed the deadline), not someone else's later change.
   */
  | { kind: 'failed'; applied: boolean; rollBack: boolean; message: string }
  /** A write whose outcome was unknown never reached ECS. */
  | { kind: 'not-applied'; applied: false; message: string };

/** How long after an unknown write ECS must show it before it counts as never applied. */
export const UNKNOWN_WRITE_SETTLE_MS = 15_000;

const revisionOf = (arn: string) => arn.split('/').pop() ?? arn;

/** Decides from one fresh read of the target (`read`) where the rollout of `expected` stands. */
export function decideRollout(input: {
  environment: string;
  /** The task definition the action rolled out. */
  expected: string;
  /** When the action was taken (its audit row's creation). */
  startedAt: Date;
  deadline: Date;
  /** The action's write ended `unknown` and nobody has seen ECS apply it yet. */
  unknownWrite: boolean;
  read: StateResult | undefined;
  now: Date;
}): RolloutDecision {
  const { environment, expected, read, now } = input;
  const late = now.getTime() > input.deadline.getTime();
  const minutes = Math.round(
    (input.deadline.getTime() - input.startedAt.getTime()) / 60_000,
  );
  const summary = read?.state?.summary;
  if (!read?.state || read.stale) {
    return late
      ? {
          kind: 'failed',
          applied: false,
          rollBack: false,
          message: `Could not read ${environment} to verify the rollout within ${minutes} min: ${
            read?.error?.message ?? 'no answer from ECS'
          }`,
        }
      : { kind: 'wait', applied: false };
  }
  if (!summary) {
    return {
      kind: 'failed',
      applied: false,
      rollBack: false,
      message: `The ECS service in ${environment} no longer exists`,
    };
  }
  const deployment = summary.deployments.find(
    d => d.taskDefinition.arn === expected,
  );
  const current = summary.taskDefinition.arn === expected;
  const applied = Boolean(deployment) || current;
  if (deployment?.rolloutState === 'FAILED') {
    return {
      kind: 'failed',
      applied: true,
      rollBack: true,
      message: `The deployment of ${revisionOf(expected)} failed: ${
        deployment.rolloutStateReason ?? 'no reason given'
      }`,
    };
  }
  const state = deployment ?? (current ? summary : undefined);
  if (
    state &&
    (!deployment || deployment.status === 'PRIMARY') &&
    state.rolloutState === 'COMPLETED' &&
    state.runningCount === state.desiredCount
  ) {
    return {
      kind: 'rolled-out',
      applied: true,
      message: `${environment} runs ${revisionOf(expected)}: ${
        state.runningCount
      } of ${state.desiredCount} tasks running`,
    };
  }
  if (!applied) {
    // ECS went back (circuit breaker) or the service moved on, or the write never landed.
    const since = input.startedAt.getTime() - 5_000;
    const breaker = summary.events.find(
      e =>
        Date.parse(e.createdAt ?? '') >= since &&
        /circuit breaker|rolling back to|deployment failed/i.test(e.message),
    );
    if (breaker) {
      return {
        kind: 'failed',
        applied: true,
        rollBack: true,
        message: `ECS stopped the rollout of ${revisionOf(expected)}: ${
          breaker.message
        }`,
      };
    }
    if (input.unknownWrite) {
      return now.getTime() - input.startedAt.getTime() < UNKNOWN_WRITE_SETTLE_MS
        ? { kind: 'wait', applied: false }
        : {
            kind: 'not-applied',
            applied: false,
            message: `AWS did not apply the update to ${revisionOf(
              expected,
            )}: ${environment} still runs ${revisionOf(
              summary.taskDefinition.arn,
            )} (its image parameters may name the new images: promote or roll back again)`,
          };
    }
    return {
      kind: 'failed',
      applied: false,
      rollBack: false,
      message: `${environment} moved on to ${revisionOf(
        summary.taskDefinition.arn,
      )} before ${revisionOf(expected)} finished rolling out`,
    };
  }
  if (late) {
    return {
      kind: 'failed',
      applied: true,
      rollBack: true,
      message: `${environment} was not healthy within ${minutes} min: ${
        state?.runningCount ?? summary.runningCount
      } of ${state?.desiredCount ?? summary.desiredCount} tasks running (${
        deployment?.rolloutStateReason ?? 'deployment in progress'
      })`,
    };
  }
  return { kind: 'wait', applied: true };
}
