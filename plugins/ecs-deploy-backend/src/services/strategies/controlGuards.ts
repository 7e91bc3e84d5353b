/*
 * Why a hold, continue or skipped bake would be refused (409), from the deployment ECS shows and
 * the hold the portal keeps. Pure.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DeploymentHold } from '@deployment-portal/plugin-ecs-deploy-common';
import { hasPortalGates } from './hooks';
import { bakeUnderWay } from './progress';

/** What a person does to a deployment in progress. */
export type ControlAction = 'hold' | 'continue' | 'abort' | 'skip-bake';

/** Stages past the last gate: nothing is left to hold. */
const PAST_LAST_GATE = ['BAKE_TIME', 'CLEAN_UP'];

/** The refusal of `action` (a message for a 409), or undefined when it may go ahead. */
export function controlRefusal(input: {
  action: ControlAction;
  /** `payments-api in prod`. */
  where: string;
  deployment?: ServiceDeployment;
  hold?: DeploymentHold;
  /** The service deployment the caller saw. */
  expected?: string;
}): string | undefined {
  const { action, where, deployment, hold, expected } = input;
  if (!deployment) {
    return `No deployment of ${where} is in progress`;
  }
  const arn = deployment.serviceDeploymentArn;
  if (expected && expected !== arn) {
    return `The deployment of ${where} changed since you looked: ${arn} is in progress now. Review again.`;
  }
  if (deployment.status !== 'IN_PROGRESS') {
    return `The deployment of ${where} is ${deployment.status}: it can no longer be held or sped up`;
  }
  if (!hasPortalGates(deployment.deploymentConfiguration?.lifecycleHooks)) {
    const strategy = deployment.deploymentConfiguration?.strategy ?? 'ROLLING';
    return `The deployment of ${where} (${strategy}) has no steps the portal can hold or bakes it can skip: only canary, linear and blue/green deployments the portal started do`;
  }
  if (action === 'hold') {
    if (hold) {
      return `The deployment of ${where} is already held by ${hold.by} since ${hold.at}`;
    }
    if (PAST_LAST_GATE.includes(deployment.lifecycleStage ?? '')) {
      return `The deployment of ${where} passed its last step (${deployment.lifecycleStage}): nothing is left to hold; roll back instead`;
    }
  }
  if (action === 'continue' && !hold) {
    return `The deployment of ${where} is not held`;
  }
  if (action === 'skip-bake' && !bakeUnderWay(deployment)) {
    return `No bake of ${where} is under way (stage ${
      deployment.lifecycleStage ?? 'unknown'
    }): nothing to skip`;
  }
  return undefined;
}
