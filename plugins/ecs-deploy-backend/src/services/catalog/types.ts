/*
 * Who acts, and the entities they may see, read through the catalog with their credentials.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';

/** Who acts, as the router resolved it. */
export interface Caller {
  credentials: BackstageCredentials;
  userEntityRef: string;
}

/** Entities and teams through the catalog, with the caller's credentials. */
export interface EntityAccess {
  /** The entity, readable by the caller and annotated for ECS deploy, or a 404. */
  loadEntity(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<Entity>;
  /** Every entity with the ECS annotation the caller may read, with its owner's group ref. */
  serviceEntities(
    credentials: BackstageCredentials,
  ): Promise<Array<{ entity: Entity; owner: string }>>;
  /** The group's services (entities with the annotation it owns), or a 404 for the group. */
  teamEntities(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<{ groupRef: string; entities: Entity[] }>;
}
