import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  QueryEntitiesInitialRequest,
} from '@backstage/catalog-client';
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
import { teamSlices, UNOWNED } from './teamPage';
import type { EntityAccess, OrgEntities, ServiceEntity } from './types';

/** How long a caller's list of every service, or of its teams, is reused (org view reads). */
const SERVICE_LIST_TTL_MS = 15_000;

/** Entities with the ECS annotation. */
const SERVICES_FILTER = {
  [`metadata.annotations.${ECS_DEPLOY_SERVICE_ANNOTATION}`]:
    CATALOG_FILTER_EXISTS,
};

/** Services without an owner (`relations.ownedBy`), which the owners' facets leave out. */
const NO_OWNER: QueryEntitiesInitialRequest['query'] = {
  $not: { 'relations.ownedBy': { $exists: true } },
};

type OwnerCount = { value: string; count: number };

/** The catalog's condition for one owner's services (`unowned`: those without an owner). */
const ownedBy = (
  team: string | undefined,
): Pick<QueryEntitiesInitialRequest, 'filter' | 'query'> => {
  if (!team) return { filter: {} };
  return team === UNOWNED
    ? { query: NO_OWNER }
    : { filter: { 'relations.ownedBy': team } };
};
type PageQuery = Parameters<OrgEntities['page']>[0];

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
  private readonly ownersLoader: (
    credentials: BackstageCredentials,
  ) => Promise<OwnerCount[]>;

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
    this.ownersLoader = coalesce(
      credentials => this.loadOwners(credentials),
      callerOf,
    );
  }

  serviceEntities(credentials: BackstageCredentials) {
    return this.servicesLoader(credentials);
  }

  orgEntities(credentials: BackstageCredentials): OrgEntities {
    return {
      all: () => this.servicesLoader(credentials),
      page: query =>
        query.sort === 'team'
          ? this.loadTeamPage(query, credentials)
          : this.loadPage(query, credentials),
      teams: async () =>
        (await this.ownersLoader(credentials)).map(o => o.value),
    };
  }

  /**
   * One page as the catalog orders and counts it: a page reads its ~50 entities, not every one.
   * The catalog orders by one field only (ties by its entity id), so by `metadata.name`: every
   * entity has one, where ordering by `metadata.title` would drop the entities without a title.
   */
  private async loadPage(
    query: PageQuery,
    credentials: BackstageCredentials,
    owned: Pick<QueryEntitiesInitialRequest, 'filter' | 'query'> = ownedBy(
      query.team,
    ),
  ) {
    const term = query.q?.trim();
    const { items, totalItems } = await this.catalog.queryEntities(
      {
        ...owned,
        filter: { ...SERVICES_FILTER, ...owned.filter },
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

  /**
   * A page ordered by owner, then name (`teamPage`): the owners' counts (facets, briefly cached,
   * and a count of the services without an owner) place the page; then each team it spans
   * gives its slice by name. A page reads its entities only, in one query per team it spans.
   */
  private async loadTeamPage(
    query: PageQuery,
    credentials: BackstageCredentials,
  ) {
    if (query.q?.trim()) {
      throw new Error('An order by team is paged without a name search only');
    }
    const owners = (await this.ownersLoader(credentials)).filter(
      o => !query.team || o.value === query.team,
    );
    const { total, slices } = teamSlices(owners, query);
    const pages = await Promise.all(
      slices.map(slice =>
        this.loadPage(
          { ...slice, sort: 'name', order: 'asc' },
          credentials,
          ownedBy(slice.team),
        ),
      ),
    );
    return { total, items: pages.flatMap(p => p.items) };
  }

  /**
   * The owners of the services the caller may read and how many each owns, sorted, from the
   * catalog's facets, with `unowned` for the services without one (the facets leave them out);
   * briefly cached.
   */
  private async loadOwners(credentials: BackstageCredentials) {
    const key = `catalog:owners:${callerOf(credentials)}`;
    const cached = await this.cache.get(key);
    if (cached) return cached as unknown as OwnerCount[];
    const [{ facets }, { totalItems: unowned }] = await Promise.all([
      this.catalog.getEntityFacets(
        { filter: SERVICES_FILTER, facets: ['relations.ownedBy'] },
        { credentials },
      ),
      this.catalog.queryEntities(
        { filter: SERVICES_FILTER, query: NO_OWNER, limit: 0 },
        { credentials },
      ),
    ]);
    const owners = (facets['relations.ownedBy'] ?? [])
      .map(({ value, count }) => ({ value, count }))
      .concat(unowned > 0 ? [{ value: UNOWNED, count: unowned }] : [])
      .sort((a, b) => (a.value < b.value ? -1 : 1));
    await this.cache.set(key, owners, { ttl: SERVICE_LIST_TTL_MS });
    return owners;
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
