import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  compareEnvironments,
  getEcsServiceName,
  getEntityEnvironments,
  TeamServiceRow,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../../config';
import type { ServiceStateStore } from './types';
import { deriveHealth } from './health';
import { ownershipOf } from './ownership';

type Settings = Pick<
  EcsDeployConfig,
  'environments' | 'promotionPaths' | 'ownershipMappings' | 'index'
>;

/**
 * One row per entity, one cell per environment, and the lag of each promotion path: the lists'
 * view of many services. States come from the cache layer in one batched read per environment
 * (the warm index only, while it runs); no task calls.
 */
export async function serviceRows(
  settings: Settings,
  store: ServiceStateStore,
  entities: Entity[],
): Promise<TeamServiceRow[]> {
  const envNames = settings.environments.map(e => e.name);
  const states = new Map(
    await Promise.all(
      settings.environments.map(async env => {
        const names = entities
          .filter(e => getEntityEnvironments(e, envNames).includes(env.name))
          .map(e => getEcsServiceName(e, env.name));
        // While the warm index runs, a list never waits for ECS for what the index holds; a
        // service it does not hold (not running in ECS, or not indexed yet) is read now.
        const read = await store.read(env, names, {
          indexedOnly: settings.index.enabled,
          readNew: true,
        });
        return [env.name, read] as const;
      }),
    ),
  );
  return entities.map(entity => {
    const entityRef = stringifyEntityRef(entity);
    const environments: TeamServiceRow['environments'] = {};
    for (const envName of getEntityEnvironments(entity, envNames)) {
      const serviceName = getEcsServiceName(entity, envName);
      const result = states.get(envName)!.get(serviceName)!;
      const summary = result.state?.summary;
      environments[envName] = {
        health: result.state ? deriveHealth(summary).health : 'unknown',
        taskDefinition: summary?.taskDefinition,
        images: summary?.images ?? [],
        desiredCount: summary?.desiredCount,
        runningCount: summary?.runningCount,
        rolloutState: summary?.rolloutState,
        ownership: summary
          ? ownershipOf(
              entityRef,
              envName,
              serviceName,
              result.state?.entityRefTag,
              settings.ownershipMappings,
            )
          : undefined,
        error: result.error,
        stale: result.stale,
      };
    }
    const lags = settings.promotionPaths.map(({ from, to }) => {
      const state = compareEnvironments(environments[from], environments[to]);
      return { from, to, state, lagging: state === 'behind' };
    });
    return {
      entityRef,
      title: entity.metadata.title ?? entity.metadata.name,
      environments,
      lags,
    };
  });
}
