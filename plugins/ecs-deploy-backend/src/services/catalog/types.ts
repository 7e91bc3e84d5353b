/*
 * Who acts, and the entities they may see, read through the catalog with their credentials.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { ParsedOrgStatusQuery } from '@deployment-portal/plugin-ecs-deploy-common';

/** Who acts, as the router resolved it. */
export interface Caller {
  credentials: BackstageCredentials;
  userEntityRef: string;
}

/** An entity with the ECS annotation and its owner's group ref (`unowned` without one). */
export interface ServiceEntity {
  entity: Entity;
  owner: string;
}

/** The org view's entities for one caller, read through the catalog with their credentials. */
export interface OrgEntities {
  /** Every service the caller may read (a filter or order by health or lag needs them all). */
  all(): Promise<ServiceEntity[]>;
  /**
   * One page chosen by the catalog, of `query.team` when given, with the number of services
   * matching: by name (`query.order`) and matching `query.q` in name or title when given; or,
   * for `sort: 'team'` (no `q`), by owner (`query.order`) and by name within an owner.
   */
  page(
    query: Pick<
      ParsedOrgStatusQuery,
      'team' | 'q' | 'order' | 'offset' | 'limit' | 'sort'
    >,
  ): Promise<{ total: number; items: ServiceEntity[] }>;
  /** Every owner of a service the caller may read, sorted (the team filter's menu). */
  teams(): Promise<string[]>;
}

/** Entities and teams through the catalog, with the caller's credentials. */
export interface EntityAccess {
  /** The entity, readable by the caller and annotated for ECS deploy, or a 404. */
  loadEntity(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<Entity>;
  /** Every entity with the ECS annotation the caller may read, with its owner's group ref. */
  serviceEntities(credentials: BackstageCredentials): Promise<ServiceEntity[]>;
  /** The org view's entities for the caller: all, a page, or the teams. */
  orgEntities(credentials: BackstageCredentials): OrgEntities;
  /** The group's services (entities with the annotation it owns), or a 404 for the group. */
  teamEntities(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<{ groupRef: string; entities: Entity[] }>;
}
