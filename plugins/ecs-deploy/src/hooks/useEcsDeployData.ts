import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { OrgStatusQuery } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import { useDeploymentSignal } from './useDeploymentSignal';
import { usePollIntervalMs, usePolling } from './usePolling';

/** Options shared by the polling hooks. */
export interface PollOptions {
  /** Poll while the page is visible (default true). */
  poll?: boolean;
}

/** Environments (in display order), promotion paths and active freeze windows. */
export function useEcsDeployInfo(options?: PollOptions) {
  const api = useApi(ecsDeployApiRef);
  const intervalMs = usePollIntervalMs();
  const state = useAsyncRetry(() => api.getInfo(), [api]);
  usePolling(state.retry, options?.poll === false ? undefined : intervalMs);
  return state;
}

/** The status of an entity's service in every environment, polled and refreshed on signals. */
export function useEntityDeploymentStatus(
  entityRef: string,
  options?: PollOptions,
) {
  const api = useApi(ecsDeployApiRef);
  const intervalMs = usePollIntervalMs();
  const state = useAsyncRetry(
    () => api.getEntityStatus(entityRef),
    [api, entityRef],
  );
  usePolling(state.retry, options?.poll === false ? undefined : intervalMs);
  useDeploymentSignal(entityRef, state.retry);
  return state;
}

/** Promotions and rollbacks of an entity, newest first, polled and refreshed on signals. */
export function useDeploymentHistory(
  entityRef: string,
  options?: PollOptions & { limit?: number },
) {
  const api = useApi(ecsDeployApiRef);
  const intervalMs = usePollIntervalMs();
  const limit = options?.limit ?? 50;
  const state = useAsyncRetry(
    async () => (await api.getHistory(entityRef, { limit })).items,
    [api, entityRef, limit],
  );
  usePolling(state.retry, options?.poll === false ? undefined : intervalMs);
  useDeploymentSignal(entityRef, state.retry);
  return state;
}

/** Every service a group owns, per environment, polled and refreshed on signals. */
export function useTeamStatus(groupRef: string, options?: PollOptions) {
  const api = useApi(ecsDeployApiRef);
  const intervalMs = usePollIntervalMs();
  const state = useAsyncRetry(
    () => api.getTeamStatus(groupRef),
    [api, groupRef],
  );
  usePolling(state.retry, options?.poll === false ? undefined : intervalMs);
  useDeploymentSignal(groupRef, state.retry);
  return state;
}

/** One page of the organisation-wide view (filtered, sorted and paged on the server), polled. */
export function useOrgStatus(query: OrgStatusQuery, options?: PollOptions) {
  const api = useApi(ecsDeployApiRef);
  const intervalMs = usePollIntervalMs();
  const key = JSON.stringify(query);
  const state = useAsyncRetry(
    () => api.getOrgStatus(JSON.parse(key)),
    [api, key],
  );
  usePolling(state.retry, options?.poll === false ? undefined : intervalMs);
  return state;
}

/** Tasks of one environment, loaded on demand: call `load()`. */
export function useEnvironmentTasks(entityRef: string, environment: string) {
  const api = useApi(ecsDeployApiRef);
  const [state, load] = useAsyncFn(
    () => api.getEnvironmentTasks(entityRef, environment),
    [api, entityRef, environment],
  );
  return { ...state, load };
}
