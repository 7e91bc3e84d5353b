/*
 * The portal's lifecycle hooks: how a traffic-shifting deployment (canary, linear, blue/green)
 * becomes one the portal can hold and whose bakes an admin can skip, with ECS's own API only.
 *
 * ECS has no call that pauses a deployment or ends a bake early. It has PAUSE lifecycle hooks
 * (`DeploymentLifecycleHook.targetType` PAUSE): the deployment waits at the hook's stage until
 * `ContinueServiceDeployment`, or until the hook's timeout, whose action is CONTINUE or ROLLBACK.
 * So the portal moves each bake of the strategy into hooks:
 *
 * - a **bake hook** per bake (PAUSE, timeout = the bake, action CONTINUE): ECS ends the bake by
 *   itself when the timeout passes, with or without the portal; skipping it is
 *   `ContinueServiceDeployment` on that hook. The strategy's own bake fields are sent as 0.
 *   Step bakes (canary, linear) sit at PRODUCTION_TRAFFIC_SHIFT (ECS runs its hooks at every
 *   traffic step), the deployment bake at POST_PRODUCTION_TRAFFIC_SHIFT (all traffic moved, the
 *   old revision still running).
 * - a **gate** per stage (PAUSE, timeout = the bake plus the hold limit, action ROLLBACK): the
 *   portal continues it once the stage's bake is over, unless an owner holds the deployment.
 *   A hold nobody resolves within the limit, or a portal that cannot reach ECS that long, ends in
 *   ECS's rollback: a deployment nobody watches does not go on to take all the traffic.
 *
 * The two are told apart by their timeout action (CONTINUE: bake, ROLLBACK: gate); the
 * portal's PAUSE hooks are the only PAUSE hooks of a service it deploys.
 */
import type {
  DeploymentLifecycleHook,
  DeploymentLifecycleHookDetail,
  DeploymentLifecycleHookStage,
} from '@aws-sdk/client-ecs';

export const STEP_STAGE: DeploymentLifecycleHookStage =
  'PRODUCTION_TRAFFIC_SHIFT';
export const FINAL_STAGE: DeploymentLifecycleHookStage =
  'POST_PRODUCTION_TRAFFIC_SHIFT';
const isPause = (h: { targetType?: string }) => h.targetType === 'PAUSE';

/** ECS's bounds of a hook timeout, in minutes. */
const MAX_TIMEOUT_MINUTES = 20160;

const pause = (
  stage: DeploymentLifecycleHookStage,
  minutes: number,
  action: 'CONTINUE' | 'ROLLBACK',
): DeploymentLifecycleHook => ({
  targetType: 'PAUSE',
  lifecycleStages: [stage],
  timeoutConfiguration: {
    timeoutInMinutes: Math.min(MAX_TIMEOUT_MINUTES, Math.max(1, minutes)),
    action,
  },
});

/** The portal's hooks for a strategy with these bakes (minutes; 0: no bake there). */
export function portalHooks(bakes: {
  stepMinutes: number;
  finalMinutes: number;
  holdLimitMinutes: number;
}): DeploymentLifecycleHook[] {
  const { stepMinutes, finalMinutes, holdLimitMinutes } = bakes;
  return [
    ...(stepMinutes > 0 ? [pause(STEP_STAGE, stepMinutes, 'CONTINUE')] : []),
    ...(finalMinutes > 0 ? [pause(FINAL_STAGE, finalMinutes, 'CONTINUE')] : []),
    pause(STEP_STAGE, stepMinutes + holdLimitMinutes, 'ROLLBACK'),
    pause(FINAL_STAGE, finalMinutes + holdLimitMinutes, 'ROLLBACK'),
  ];
}

/** The bake minutes the portal's hooks carry at a stage (0 when none). */
export function bakeMinutesAt(
  hooks: DeploymentLifecycleHook[] | undefined,
  stage: DeploymentLifecycleHookStage,
): number {
  const hook = (hooks ?? []).find(
    h =>
      isPause(h) &&
      h.timeoutConfiguration?.action === 'CONTINUE' &&
      h.lifecycleStages?.includes(stage),
  );
  return hook?.timeoutConfiguration?.timeoutInMinutes ?? 0;
}

/** Whether a deployment configuration carries the portal's gates (it can be held). */
export function hasPortalGates(hooks: DeploymentLifecycleHook[] | undefined) {
  return (hooks ?? []).some(
    h => isPause(h) && h.timeoutConfiguration?.action === 'ROLLBACK',
  );
}

/** A hook run waiting for an answer, as the portal sees it. */
export interface AwaitingHook {
  hookId: string;
  kind: 'bake' | 'gate';
  expiresAt?: Date;
}

/** The portal's hook runs of a service deployment that wait for an answer now. */
export function awaitingHooks(
  details: DeploymentLifecycleHookDetail[] | undefined,
): AwaitingHook[] {
  return (details ?? [])
    .filter(
      d =>
        isPause(d) && d.status === 'AWAITING_ACTION' && d.hookId !== undefined,
    )
    .map(d => ({
      hookId: d.hookId!,
      kind: d.timeoutAction === 'CONTINUE' ? 'bake' : 'gate',
      expiresAt: d.expiresAt,
    }));
}
