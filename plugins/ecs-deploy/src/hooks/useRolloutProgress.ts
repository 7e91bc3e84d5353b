import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  EnvironmentStatus,
  RolloutState,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';

/** Where a rollout started by a promotion or rollback stands. */
export type RolloutPhase = 'waiting' | 'completed' | 'failed' | 'timeout';

/** Options of {@link useRolloutProgress}. */
export interface RolloutProgressOptions {
  entityRef: string;
  environment: string;
  /** The task definition being rolled out; `undefined` = nothing to follow yet. */
  taskDefinitionArn?: string;
  /** Delay between two status reads (default 5 s). */
  pollIntervalMs?: number;
  /** Give up following after this long (default 15 min). */
  timeoutMs?: number;
}

/** The rollout state of one task definition in an environment's status. */
export function rolloutStateOf(
  status: EnvironmentStatus | undefined,
  taskDefinitionArn: string,
): { state?: RolloutState; reason?: string } {
  const service = status?.service;
  if (!service) {
    return {};
  }
  const deployment = service.deployments.find(
    d => d.taskDefinition.arn === taskDefinitionArn,
  );
  if (deployment) {
    return {
      state: deployment.rolloutState,
      reason: deployment.rolloutStateReason,
    };
  }
  if (service.taskDefinition.arn === taskDefinitionArn) {
    return {
      state: service.rolloutState,
      reason: service.rolloutStateReason,
    };
  }
  return {};
}

/**
 * Follows the rollout of `taskDefinitionArn` in one environment by reading the entity status
 * until the deployment is COMPLETED or FAILED, or until the timeout.
 */
export function useRolloutProgress(options: RolloutProgressOptions) {
  const {
    entityRef,
    environment,
    taskDefinitionArn,
    pollIntervalMs = 5000,
    timeoutMs = 15 * 60 * 1000,
  } = options;
  const api = useApi(ecsDeployApiRef);
  const [state, setState] = useState<{
    phase: RolloutPhase;
    status?: EnvironmentStatus;
    reason?: string;
    error?: Error;
  }>({ phase: 'waiting' });

  useEffect(() => {
    if (!taskDefinitionArn) {
      return undefined;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = Date.now() + timeoutMs;
    setState({ phase: 'waiting' });

    const check = async () => {
      let status: EnvironmentStatus | undefined;
      let error: Error | undefined;
      try {
        const all = await api.getEntityStatus(entityRef);
        status = all.environments.find(e => e.environment === environment);
      } catch (e) {
        error = e as Error;
      }
      if (cancelled) {
        return;
      }
      const { state: rollout, reason } = rolloutStateOf(
        status,
        taskDefinitionArn,
      );
      if (rollout === 'COMPLETED' || rollout === 'FAILED') {
        setState({
          phase: rollout === 'COMPLETED' ? 'completed' : 'failed',
          status,
          reason,
        });
        return;
      }
      if (Date.now() >= deadline) {
        setState(prev => ({
          phase: 'timeout',
          status: status ?? prev.status,
          reason,
          error,
        }));
        return;
      }
      setState(prev => ({
        phase: 'waiting',
        status: status ?? prev.status,
        reason,
        error,
      }));
      timer = setTimeout(check, pollIntervalMs);
    };
    check();

    return () => {
      cancelled = true;
      if (timer) {
        clearTimeout(timer);
      }
    };
  }, [
    api,
    entityRef,
    environment,
    taskDefinitionArn,
    pollIntervalMs,
    timeoutMs,
  ]);

  return state;
}
