/*
 * The writes of an adoption, after every check: one claim row per environment (exactly one of two
 * adopters gets in), then the tag and the image parameters; undone when a write fails. And the
 * 409 that names who holds a claim.
 */
import type { CacheService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  AdoptedService,
  AdoptionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { AdoptionStore } from '../../database/AdoptionStore';
import type { AdoptionTarget } from './adoptionTargets';
import type { AdoptionWrites } from './adoptionWrites';
import { UNCLAIMED_CACHE_KEY } from './DefaultUnclaimedServicesService';

/** The 409 of a service someone holds a claim on. */
export function heldBy(row: {
  actor: string;
  entityRef: string;
  environment: string;
  serviceName: string;
}) {
  return new ConflictError(
    `ECS service ${row.serviceName} in ${row.environment} is already adopted by ${row.actor} as ${row.entityRef}`,
  );
}

/** Claims every environment, then tags and creates parameters; undone when a write fails. */
export async function claimAndWrite(
  options: {
    store: AdoptionStore;
    cache: CacheService;
    writes: AdoptionWrites;
  },
  targets: AdoptionTarget[],
  request: Required<AdoptionRequest>,
  actor: string,
  entityRef: string,
): Promise<AdoptedService[]> {
  const { store, cache, writes } = options;
  const createdAt = new Date();
  const holder = await store.claim(
    targets.map(({ env, adopted }) => ({
      environment: env.name,
      serviceName: request.serviceName,
      cluster: env.cluster,
      serviceArn: adopted.serviceArn,
      entityRef,
      owner: request.owner.toLocaleLowerCase('en-US'),
      actor,
      previousEntityRefTag: adopted.previousEntityRefTag,
      createdParameters: [],
      createdAt,
    })),
  );
  if (holder) throw heldBy(holder);
  const done: AdoptedService[] = [];
  try {
    for (const { env, adopted } of targets) {
      await writes.setEntityRefTag(env, adopted.serviceArn, entityRef);
      const parameters = [];
      for (const p of adopted.imageParameters) {
        const created = await writes.createParameter(env, p.name, p.image);
        parameters.push({ ...p, created });
      }
      await store.recordCreated(
        env.name,
        request.serviceName,
        parameters.filter(p => p.created).map(p => p.name),
      );
      done.push({ ...adopted, imageParameters: parameters });
    }
  } catch (error) {
    for (const { env, adopted } of targets) {
      const row = await store.get(env.name, request.serviceName);
      if (done.some(d => d.environment === env.name) || row) {
        await writes
          .setEntityRefTag(
            env,
            adopted.serviceArn,
            adopted.previousEntityRefTag,
          )
          .catch(() => undefined);
        for (const name of row?.createdParameters ?? []) {
          await writes.deleteParameter(env, name).catch(() => undefined);
        }
      }
      await store.release(env.name, request.serviceName);
    }
    throw error;
  }
  await cache.delete(UNCLAIMED_CACHE_KEY);
  return done;
}
