import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsync from 'react-use/esm/useAsync';
import type {
  OrgStatusQuery,
  UnclaimedServicesQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import { usePolledRead } from './usePolledRead';

/** Environments (in display order), promotion paths and active freeze windows, polled. */
export function useEcsDeployInfo() {
  const api = useApi(ecsDeployApiRef);
  return usePolledRead(() => api.getInfo(), [api]);
}

/** The status of an entity's service in every environment, polled and refreshed on signals. */
export function useEntityDeploymentStatus(entityRef: string) {
  const api = useApi(ecsDeployApiRef);
  return usePolledRead(() => api.getEntityStatus(entityRef), [api, entityRef], {
    signal: entityRef,
  });
}

/** Promotions and rollbacks of an entity, newest first, polled and refreshed on signals. */
export function useDeploymentHistory(
  entityRef: string,
  options?: { limit?: number },
) {
  const api = useApi(ecsDeployApiRef);
  const limit = options?.limit ?? 50;
  return usePolledRead(
    async () => (await api.getHistory(entityRef, { limit })).items,
    [api, entityRef, limit],
    { signal: entityRef },
  );
}

/** Every service a group owns, per environment, polled and refreshed on signals. */
export function useTeamStatus(groupRef: string) {
  const api = useApi(ecsDeployApiRef);
  return usePolledRead(() => api.getTeamStatus(groupRef), [api, groupRef], {
    signal: groupRef,
  });
}

/** One page of the organisation-wide view (filtered, sorted and paged on the server), polled. */
export function useOrgStatus(query: OrgStatusQuery) {
  const api = useApi(ecsDeployApiRef);
  const key = JSON.stringify(query);
  return usePolledRead(() => api.getOrgStatus(JSON.parse(key)), [api, key]);
}

/** One page of the unclaimed services (filtered and paged on the server), polled. */
export function useUnclaimedServices(query: UnclaimedServicesQuery) {
  const api = useApi(ecsDeployApiRef);
  const key = JSON.stringify(query);
  return usePolledRead(
    () => api.getUnclaimedServices(JSON.parse(key)),
    [api, key],
  );
}

/** The signed-in user's groups and whether an admin, as the adoption checks them. */
export function useAdopter() {
  const api = useApi(ecsDeployApiRef);
  return useAsync(() => api.getAdopter(), [api]);
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
