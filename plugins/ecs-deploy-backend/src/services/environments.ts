import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { getEntityEnvironments } from '@deployment-portal/plugin-ecs-deploy-common';
import {
  EcsDeployConfig,
  EnvironmentConfig,
  PromotionPathConfig,
} from '../config';

type Settings = Pick<EcsDeployConfig, 'environments' | 'promotionPaths'>;

/** The configured environment `name`, which the entity must be deployed to; else a 400. */
export function entityEnvironment(
  settings: Settings,
  entity: Entity,
  name: string,
): EnvironmentConfig {
  const env = settings.environments.find(e => e.name === name);
  if (!env) {
    const known = settings.environments.map(e => e.name).join(', ');
    throw new InputError(`Unknown environment '${name}'; known: ${known}`);
  }
  const names = getEntityEnvironments(
    entity,
    settings.environments.map(e => e.name),
  );
  if (!names.includes(name)) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} is not deployed to '${name}' (see its ecs-deploy.io/environments annotation)`,
    );
  }
  return env;
}

/** The configured path from → to, and both environments, checked for this entity; else a 400. */
export function promotionPath(
  settings: Settings,
  entity: Entity,
  from: string,
  to: string,
): {
  path: PromotionPathConfig;
  source: EnvironmentConfig;
  target: EnvironmentConfig;
} {
  if (from === to) {
    throw new InputError(
      `'from' and 'to' are both '${from}'; a promotion needs two environments`,
    );
  }
  const path = settings.promotionPaths.find(
    p => p.from === from && p.to === to,
  );
  if (!path) {
    const allowed = settings.promotionPaths
      .map(p => `${p.from}→${p.to}`)
      .join(', ');
    throw new InputError(
      `No promotion path from '${from}' to '${to}'; configured: ${
        allowed || 'none'
      }`,
    );
  }
  return {
    path,
    source: entityEnvironment(settings, entity, from),
    target: entityEnvironment(settings, entity, to),
  };
}
