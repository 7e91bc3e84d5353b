import type {
  DeploymentInfo,
  ServiceSummary,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { formatTaskDefinition } from './format';

/** Where the rollout of a service stands, in words. */
export interface RolloutDescription {
  /** `steady`: one deployment, done; `rolling`: a new deployment replaces older ones; `failed`. */
  kind: 'steady' | 'rolling' | 'failed' | 'inactive';
  /** One readable sentence, e.g. "Rolling out payments-api-prod:8: 1 of 2 new tasks running". */
  phrase: string;
  /** While rolling: the share of the new deployment's desired tasks that run, 0–100. */
  progress?: number;
}

/**
 * ECS's rollout reason without what only ECS needs ("ECS deployment ecs-svc/123… in progress."):
 * only the part that says why a rollout failed, e.g. "circuit breaker: tasks failed to start".
 */
export function rolloutReason(reason?: string): string | undefined {
  const cleaned = reason
    ?.replace(/^ECS deployment\s+(ecs-svc\/\S+\s*)?/i, '')
    .replace(/\.$/, '')
    .trim();
  return cleaned || undefined;
}

function primaryOf(service: ServiceSummary): DeploymentInfo | undefined {
  return (
    service.deployments.find(d => d.status === 'PRIMARY') ??
    service.deployments[0]
  );
}

/** The rollout of a service as a phrase and, while it rolls out, its progress. */
export function describeRollout(service: ServiceSummary): RolloutDescription {
  if (service.status !== 'ACTIVE') {
    return {
      kind: 'inactive',
      phrase: `Service is ${service.status.toLocaleLowerCase('en-US')}`,
    };
  }
  const primary = primaryOf(service);
  const revision = formatTaskDefinition(
    primary?.taskDefinition ?? service.taskDefinition,
  );
  const state = primary?.rolloutState ?? service.rolloutState;
  const replaced = service.deployments.filter(d => d !== primary);

  if (state === 'FAILED') {
    const reason = rolloutReason(
      primary?.rolloutStateReason ?? service.rolloutStateReason,
    );
    return {
      kind: 'failed',
      phrase: `Rollout of ${revision} failed${reason ? `: ${reason}` : ''}`,
    };
  }
  if (state === 'IN_PROGRESS' || (!state && replaced.length > 0)) {
    const running = primary?.runningCount ?? service.runningCount;
    const desired = primary?.desiredCount ?? service.desiredCount;
    const pending = primary?.pendingCount ?? service.pendingCount;
    const replacing = replaced.length
      ? `, replacing ${replaced
          .map(d => formatTaskDefinition(d.taskDefinition))
          .join(', ')}`
      : '';
    return {
      kind: 'rolling',
      phrase: `Rolling out ${revision}${replacing}: ${running} of ${desired} new tasks running${
        pending ? `, ${pending} starting` : ''
      }`,
      progress:
        desired > 0 ? Math.min(100, Math.round((running / desired) * 100)) : 0,
    };
  }
  return { kind: 'steady', phrase: `Rollout of ${revision} complete` };
}
