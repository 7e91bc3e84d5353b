import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  getEcsServiceName,
  GuardResult,
  OwnershipStatus,
  pinImageToDigest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { notOwnedMessage, ownershipOf } from '../status/ownership';
import type { EcsReader } from '../aws/types';
import type { ServiceStateStore } from '../status/types';
import type { Side } from './guards';

/** Reads the entity's service in `env`; a 503 when ECS cannot be read (never a stale answer). */
export async function readSide(
  store: ServiceStateStore,
  entity: Entity,
  env: EnvironmentConfig,
  fresh: boolean,
): Promise<Side> {
  const serviceName = getEcsServiceName(entity, env.name);
  const result = (await store.read(env, [serviceName], { fresh })).get(
    serviceName,
  )!;
  if (!result.state || result.stale) {
    throw new ServiceUnavailableError(
      `Cannot read ${serviceName} in ${env.name}: ${
        result.error?.message ?? 'no answer from ECS'
      }`,
    );
  }
  return { env, serviceName, state: result.state };
}

/**
 * Reads the entity's service in `env` for a preview: the side (its last known state when ECS
 * cannot be read now), and the blocker naming the environment when ECS could not be read.
 */
export async function readSideForPreview(
  store: ServiceStateStore,
  entity: Entity,
  env: EnvironmentConfig,
): Promise<{ side?: Side; unreadable?: GuardResult }> {
  const serviceName = getEcsServiceName(entity, env.name);
  const result = (await store.read(env, [serviceName])).get(serviceName)!;
  const unreadable: GuardResult | undefined =
    !result.state || result.stale
      ? {
          code: 'environment-unreadable',
          message: `Cannot read ${serviceName} in ${env.name} from ECS now (${
            result.error?.message ?? 'no answer from ECS'
          }); try again when AWS answers`,
        }
      : undefined;
  return {
    side: result.state && { env, serviceName, state: result.state },
    unreadable,
  };
}

/** Whether the side's service belongs to the entity (only meaningful when it exists). */
export function sideOwnership(
  settings: Pick<EcsDeployConfig, 'ownershipMappings'>,
  entity: Entity,
  side: Side,
): OwnershipStatus {
  return ownershipOf(
    stringifyEntityRef(entity),
    side.env.name,
    side.serviceName,
    side.state.entityRefTag,
    settings.ownershipMappings,
  );
}

/** The reason the entity may not act on the side's service, or undefined when it may. */
export function ownershipRefusal(
  settings: Pick<EcsDeployConfig, 'ownershipMappings'>,
  entity: Entity,
  side: Side,
): string | undefined {
  if (!side.state.summary) return undefined;
  const ownership = sideOwnership(settings, entity, side);
  return ownership.owned
    ? undefined
    : `${notOwnedMessage(
        stringifyEntityRef(entity),
        side.env.name,
        side.env.cluster,
        side.serviceName,
        ownership,
      )}; only the entity its tag names may promote or roll it back`;
}

/** Throws a 403 naming the service and its tag when the entity does not own a side. */
export function requireOwnership(
  settings: Pick<EcsDeployConfig, 'ownershipMappings'>,
  entity: Entity,
  ...sides: Side[]
): 'tag' | 'mapping' | undefined {
  let proof: 'tag' | 'mapping' | undefined;
  for (const side of sides) {
    const refusal = ownershipRefusal(settings, entity, side);
    if (refusal) throw new NotAllowedError(refusal);
    const p = side.state.summary && sideOwnership(settings, entity, side).proof;
    if (p === 'mapping' || !proof) proof = p;
  }
  return proof;
}

/** The source's images, pinned to the digest its running tasks resolved, when ECS knows it. */
export async function exactImages(
  reader: EcsReader,
  source: Side,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const summary = source.state.summary!;
  const images = new Map(summary.images.map(i => [i.container, i.image]));
  const tasks = await reader
    .readTasks(source.env, source.serviceName, { running: true, signal })
    .catch(() => []);
  for (const [container, image] of images) {
    if (image.includes('@')) continue;
    const digests = new Set(
      tasks
        .filter(t => t.taskDefinitionArn === summary.taskDefinition.arn)
        .flatMap(t => t.containers ?? [])
        .filter(c => c.name === container && c.imageDigest)
        .map(c => c.imageDigest!),
    );
    if (digests.size === 1) {
      images.set(container, pinImageToDigest(image, [...digests][0]));
    }
  }
  return images;
}
