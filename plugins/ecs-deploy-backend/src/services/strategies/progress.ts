/*
 * A service deployment (DescribeServiceDeployments) as the pipeline shows it: steps, traffic
 * share, the bake under way, the hold; and which of the portal's hooks to continue now. Pure
 * functions of what ECS answered, the hold and the clock.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type {
  DeploymentHold,
  DeploymentProgress,
  DeploymentStrategyType,
  TrafficStep,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  awaitingHooks,
  bakeMinutesAt,
  FINAL_STAGE,
  hasPortalGates,
  STEP_STAGE,
} from './hooks';

/** ECS's defaults of the traffic steps (API reference: CanaryConfiguration, LinearConfiguration). */
const CANARY_PERCENT_DEFAULT = 5;
const LINEAR_STEP_DEFAULT = 10;
/** Weights are doubles: a step counts as reached within this. */
const EPSILON = 0.01;

const trafficOf = (deployment: ServiceDeployment) =>
  deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;

/** The production traffic shares, step by step, of a strategy. */
function shares(deployment: ServiceDeployment): number[] {
  const c = deployment.deploymentConfiguration;
  switch (c?.strategy) {
    case 'CANARY': {
      const p = c.canaryConfiguration?.canaryPercent ?? CANARY_PERCENT_DEFAULT;
      return p < 100 ? [p, 100] : [100];
    }
    case 'LINEAR': {
      const step = c.linearConfiguration?.stepPercent ?? LINEAR_STEP_DEFAULT;
      const count = Math.ceil(100 / step - EPSILON);
      return Array.from({ length: count }, (_, k) =>
        Math.min(100, Math.round(step * (k + 1) * 10) / 10),
      );
    }
    case 'BLUE_GREEN':
      return [100];
    default:
      return [];
  }
}

/** The bakes in minutes: the portal's hooks carry them, else ECS's own fields. */
function bakes(deployment: ServiceDeployment) {
  const c = deployment.deploymentConfiguration;
  const hooks = c?.lifecycleHooks;
  if (hasPortalGates(hooks)) {
    return {
      step: bakeMinutesAt(hooks, STEP_STAGE),
      final: bakeMinutesAt(hooks, FINAL_STAGE),
    };
  }
  return {
    step:
      c?.canaryConfiguration?.canaryBakeTimeInMinutes ??
      c?.linearConfiguration?.stepBakeTimeInMinutes ??
      0,
    final: c?.bakeTimeInMinutes ?? 0,
  };
}

/** The steps, with the one the traffic share has reached as `current`. */
export function trafficSteps(deployment: ServiceDeployment): TrafficStep[] {
  const percents = shares(deployment);
  const { step, final } = bakes(deployment);
  const traffic = trafficOf(deployment);
  const reached = percents.filter(p => p <= traffic + EPSILON).length - 1;
  return percents.map((percent, i) => {
    let state: TrafficStep['state'] = 'pending';
    if (i < reached) state = 'done';
    else if (i === reached) state = 'current';
    return {
      percent,
      bakeMinutes: i === percents.length - 1 ? final : step,
      state,
    };
  });
}

/**
 * The portal's hooks that wait now: bake hooks before any traffic moved (nothing to bake yet),
 * the bake under way, and the gates.
 */
function waiting(deployment: ServiceDeployment) {
  const awaiting = awaitingHooks(deployment.lifecycleHookDetails);
  const noTrafficYet =
    deployment.lifecycleStage === STEP_STAGE && trafficOf(deployment) < EPSILON;
  const bakeHooks = awaiting.filter(h => h.kind === 'bake');
  return {
    idleBakes: noTrafficYet ? bakeHooks : [],
    bake: noTrafficYet ? undefined : bakeHooks[0],
    gate: awaiting.find(h => h.kind === 'gate'),
  };
}

/**
 * The portal's hooks to continue now: a bake hook before any traffic moved, and the gate once no
 * bake is under way, unless the deployment is held.
 */
export function hooksToContinue(
  deployment: ServiceDeployment,
  held: boolean,
): string[] {
  const { idleBakes, bake, gate } = waiting(deployment);
  const open = gate && !held && !bake ? [gate] : [];
  return [...idleBakes, ...open].map(h => h.hookId);
}

/** The bake hook under way, if any (what an admin's skip continues). */
export function bakeUnderWay(deployment: ServiceDeployment) {
  return waiting(deployment).bake;
}

/** The gate waiting for the portal, if any (what a continue after a hold opens). */
export function gateWaiting(deployment: ServiceDeployment) {
  return waiting(deployment).gate;
}

/** The deployment as the pipeline shows it. */
export function deploymentProgress(
  deployment: ServiceDeployment,
  hold?: DeploymentHold,
): DeploymentProgress {
  const steps = trafficSteps(deployment);
  const { bake, gate } = waiting(deployment);
  const finalStage = deployment.lifecycleStage === FINAL_STAGE;
  let waitingFor: DeploymentProgress['waitingFor'];
  if (bake) waitingFor = 'bake';
  else if (gate) waitingFor = hold ? 'hold' : 'portal';
  return {
    serviceDeploymentArn: deployment.serviceDeploymentArn ?? '',
    strategy: (deployment.deploymentConfiguration?.strategy ??
      'ROLLING') as DeploymentStrategyType,
    status: deployment.status ?? 'IN_PROGRESS',
    lifecycleStage: deployment.lifecycleStage,
    trafficPercent: trafficOf(deployment),
    steps,
    bake: bake?.expiresAt && {
      kind: finalStage ? 'deployment' : 'step',
      minutes: bakes(deployment)[finalStage ? 'final' : 'step'],
      endsAt: bake.expiresAt.toISOString(),
    },
    hold,
    waitingFor,
    holdExpiresAt:
      hold && gate?.expiresAt ? gate.expiresAt.toISOString() : undefined,
    controllable: hasPortalGates(
      deployment.deploymentConfiguration?.lifecycleHooks,
    ),
  };
}
