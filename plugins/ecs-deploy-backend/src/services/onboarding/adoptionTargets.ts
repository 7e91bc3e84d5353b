/*
 * An adoption's target in one environment, read before anything is written: the service (404
 * when missing, 409 when an admin's mapping owns it), its tags' suggested owner, its previous
 * `backstage:entity-ref` tag and the image parameters adopting it would create.
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ECS_DEPLOY_TAGS,
  type AdoptedService,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { EcsReader } from '../aws/types';
import { AdoptionWrites, imageParameterName } from './adoptionWrites';
import { normalRef, ownerCandidate } from './suggestions';

/** One environment's service and what adopting it writes. */
export interface AdoptionTarget {
  env: EnvironmentConfig;
  adopted: AdoptedService;
  /** The group its tags point at, before the catalog is asked. */
  suggestedOwner?: string;
  tags: Record<string, string>;
}

/** Reads the target; throws the 404 or 409 that stops the adoption. */
export async function readAdoptionTarget(
  options: {
    settings: EcsDeployConfig;
    reader: EcsReader;
    writes: AdoptionWrites;
  },
  env: EnvironmentConfig,
  serviceName: string,
): Promise<AdoptionTarget> {
  const { reader, settings, writes } = options;
  const mapping = settings.ownershipMappings.find(
    m => m.environment === env.name && m.serviceName === serviceName,
  );
  if (mapping) {
    throw new ConflictError(
      `ECS service ${serviceName} in ${env.name} is already owned by ${mapping.entityRef} (ecsDeploy.ownership.mappings)`,
    );
  }
  const read = (await reader.readServices(env, [serviceName])).get(serviceName);
  const service = read?.service;
  if (!service?.serviceArn) {
    throw new NotFoundError(
      `No ECS service ${serviceName} in ${env.name} (cluster ${env.cluster})`,
    );
  }
  const tags = Object.fromEntries(
    (service.tags ?? []).map(t => [t.key ?? '', t.value ?? '']),
  );
  const taskDefinition = await reader.taskDefinition(
    env,
    service.taskDefinition ?? '',
  );
  const imageParameters = [];
  for (const c of taskDefinition.containerDefinitions ?? []) {
    const name = imageParameterName(env.name, serviceName, c.name ?? '');
    imageParameters.push({
      name,
      image: c.image ?? '',
      created: !(await writes.parameterExists(env, name)),
    });
  }
  const rawTag = tags[ECS_DEPLOY_TAGS.entityRef];
  return {
    env,
    tags,
    suggestedOwner: ownerCandidate(tags, settings.onboarding),
    adopted: {
      environment: env.name,
      cluster: env.cluster,
      serviceArn: service.serviceArn,
      previousEntityRefTag:
        rawTag === undefined
          ? undefined
          : normalRef(rawTag, 'component') ?? rawTag,
      imageParameters,
    },
  };
}
