import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ECS_DEPLOY_SERVICE_ANNOTATION,
  isEcsDeployAvailable,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { coalesce } from '../batchLoader';
import type { EntityAccess } from './types';

/** How long a caller's list of every service is reused (the org view's catalog read). */
const SERVICE_LIST_TTL_MS = 15_000;

/** Only what the lists need: a fraction of each entity to serialise and filter. */
const TEAM_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
];

const callerOf = (credentials: BackstageCredentials) => {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? 'none';
};

/**
 * Entities through the catalog with the caller's credentials, so the catalog's read permissions
 * apply. A caller's identical team reads in flight are answered once.
 */
export class CatalogEntityAccess implements EntityAccess {
  private readonly teamLoader: (key: {
    groupRef: string;
    credentials: BackstageCredentials;
  }) => Promise<Entity[]>;
  private readonly servicesLoader: (
    credentials: BackstageCredentials,
  ) => Promise<Array<{ entity: Entity; owner: string }>>;

  constructor(
    private readonly catalog: CatalogService,
    /** Caches each caller's list of every service for a few seconds. */
    private readonly cache: CacheService,
  ) {
    this.teamLoader = coalesce(
      ({ groupRef, credentials }) => this.loadTeam(groupRef, credentials),
      ({ groupRef, credentials }) => `${callerOf(credentials)}|${groupRef}`,
    );
    this.servicesLoader = coalesce(
      credentials => this.loadServices(credentials),
      callerOf,
    );
  }

  serviceEntities(credentials: BackstageCredentials) {
    return this.servicesLoader(credentials);
  }

  /** Every annotated entity the caller may read, with its owner; per caller, briefly cached. */
  private async loadServices(credentials: BackstageCredentials) {
    const key = `catalog:services:${callerOf(credentials)}`;
    const cached = await this.cache.get(key);
    if (cached) {
      return cached as unknown as Array<{ entity: Entity; owner: string }>;
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ECS_DEPLOY_SERVICE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        order: { field: 'metadata.name', order: 'asc' },
        fields: [...TEAM_FIELDS, 'spec.owner'],
      },
      { credentials },
    );
    const list = items.map(entity => {
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      return {
        entity,
        owner:
          typeof owner === 'string' && owner
            ? stringifyEntityRef(
                parseEntityRef(owner, {
                  defaultKind: 'group',
                  defaultNamespace: entity.metadata.namespace ?? 'default',
                }),
              )
            : 'unowned',
      };
    });
    await this.cache.set(key, list as any, { ttl: SERVICE_LIST_TTL_MS });
    return list;
  }

  async loadEntity(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${entityRef} (or you may not read it)`,
      );
    }
    if (!isEcsDeployAvailable(entity)) {
      throw new NotFoundError(
        `${entityRef} has no ${ECS_DEPLOY_SERVICE_ANNOTATION} annotation`,
      );
    }
    return entity;
  }

  async teamEntities(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ) {
    const groupRef = stringifyEntityRef({ kind: 'group', ...ref });
    const entities = await this.teamLoader({ groupRef, credentials });
    return { groupRef, entities };
  }

  private async loadTeam(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const group = await this.catalog.getEntityByRef(groupRef, { credentials });
    if (!group) {
      throw new NotFoundError(`No group ${groupRef} (or you may not read it)`);
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          'relations.ownedBy': groupRef,
          [`metadata.annotations.${ECS_DEPLOY_SERVICE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        order: { field: 'metadata.name', order: 'asc' },
        fields: TEAM_FIELDS,
      },
      { credentials },
    );
    return items;
  }
}
