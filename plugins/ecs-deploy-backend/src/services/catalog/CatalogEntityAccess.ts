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
import type { EntityAccess, OrgEntities, ServiceEntity } from './types';

/** How long a caller's list of every service, or of its teams, is reused (org view reads). */
const SERVICE_LIST_TTL_MS = 15_000;

/** Entities with the ECS annotation. */
const SERVICES_FILTER = {
  [`metadata.annotations.${ECS_DEPLOY_SERVICE_ANNOTATION}`]:
    CATALOG_FILTER_EXISTS,
};

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

/** The entity's spec.owner as a group ref (the catalog's ownedBy relation), else `unowned`. */
const withOwner = (entity: Entity): ServiceEntity => {
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
  ) => Promise<ServiceEntity[]>;
  private readonly teamsLoader: (
    credentials: BackstageCredentials,
  ) => Promise<string[]>;

  constructor(
    private readonly catalog: CatalogService,
    /** Caches each caller's list of every service, and of their owners, for a few seconds. */
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
    this.teamsLoader = coalesce(
      credentials => this.loadTeams(credentials),
      callerOf,
    );
  }

  serviceEntities(credentials: BackstageCredentials) {
    return this.servicesLoader(credentials);
  }

  orgEntities(credentials: BackstageCredentials): OrgEntities {
    return {
      all: () => this.servicesLoader(credentials),
      page: query => this.loadPage(query, credentials),
      teams: () => this.teamsLoader(credentials),
    };
  }

  /**
   * One page as the catalog orders and counts it: a page reads its ~50 entities, not every one.
   * The catalog orders by one field only (ties by its entity id), so by `metadata.name`: every
   * entity has one, where ordering by `metadata.title` would drop the entities without a title.
   */
  private async loadPage(
    query: Parameters<OrgEntities['page']>[0],
    credentials: BackstageCredentials,
  ) {
    const term = query.q?.trim();
    const { items, totalItems } = await this.catalog.queryEntities(
      {
        filter: {
          ...SERVICES_FILTER,
          ...(query.team && { 'relations.ownedBy': query.team }),
        },
        ...(term && {
          fullTextFilter: { term, fields: ['metadata.name', 'metadata.title'] },
        }),
        orderFields: { field: 'metadata.name', order: query.order },
        offset: query.offset,
        limit: query.limit,
        fields: [...TEAM_FIELDS, 'spec.owner'],
      },
      { credentials },
    );
    return { total: totalItems, items: items.map(withOwner) };
  }

  /** The owners of the services the caller may read, from the catalog's facets; briefly cached. */
  private async loadTeams(credentials: BackstageCredentials) {
    const key = `catalog:teams:${callerOf(credentials)}`;
    const cached = await this.cache.get(key);
    if (cached) return cached as string[];
    const { facets } = await this.catalog.getEntityFacets(
      { filter: SERVICES_FILTER, facets: ['relations.ownedBy'] },
      { credentials },
    );
    const teams = (facets['relations.ownedBy'] ?? [])
      .map(facet => facet.value)
      .sort();
    await this.cache.set(key, teams, { ttl: SERVICE_LIST_TTL_MS });
    return teams;
  }

  /** Every annotated entity the caller may read, with its owner; per caller, briefly cached. */
  private async loadServices(credentials: BackstageCredentials) {
    const key = `catalog:services:${callerOf(credentials)}`;
    const cached = await this.cache.get(key);
    if (cached) {
      return cached as unknown as ServiceEntity[];
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: SERVICES_FILTER,
        order: { field: 'metadata.name', order: 'asc' },
        fields: [...TEAM_FIELDS, 'spec.owner'],
      },
      { credentials },
    );
    const list = items.map(withOwner);
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
          ...SERVICES_FILTER,
        },
        order: { field: 'metadata.name', order: 'asc' },
        fields: TEAM_FIELDS,
      },
      { credentials },
    );
    return items;
  }
}
