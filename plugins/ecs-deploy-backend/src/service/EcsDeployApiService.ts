import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ECS_DEPLOY_SERVICE_ANNOTATION,
  EcsDeployInfo,
  EnvironmentTasks,
  getEntityEnvironments,
  isEcsDeployAvailable,
  TeamStatus,
} from '@internal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../config';
import { activeFreezeWindows } from './freezeWindows';
import { PromotionService } from './PromotionService';
import { StatusService } from './StatusService';

/**
 * What the router calls: entity and team loading through the catalog with the caller's
 * credentials (so catalog read permissions apply), plus the status and promotion services.
 */
export class EcsDeployApiService {
  /** Identical requests in flight (same caller, same group): answered once. */
  private readonly inflightTeams = new Map<string, Promise<TeamStatus>>();

  constructor(
    private readonly config: EcsDeployConfig,
    private readonly catalog: CatalogService,
    readonly status: StatusService,
    readonly promotions: PromotionService,
  ) {}

  info(): EcsDeployInfo {
    return {
      environments: this.config.environments.map(
        ({ name, title, region, cluster }) => ({
          name,
          title,
          region,
          cluster,
        }),
      ),
      promotionPaths: this.config.promotionPaths.map(({ from, to }) => ({
        from,
        to,
      })),
      activeFreezeWindows: activeFreezeWindows(
        this.config.freezeWindows,
        new Date(),
      ),
    };
  }

  /** The entity, readable by the caller and annotated for ECS deploy, or a 404. */
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

  async tasks(entity: Entity, environment: string): Promise<EnvironmentTasks> {
    const env = this.status.environment(environment);
    const names = getEntityEnvironments(
      entity,
      this.config.environments.map(e => e.name),
    );
    if (!env || !names.includes(environment)) {
      throw new InputError(
        `Unknown environment '${environment}' for ${stringifyEntityRef(
          entity,
        )}; known: ${names.join(', ')}`,
      );
    }
    return this.status.tasks(entity, env);
  }

  teamStatus(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<TeamStatus> {
    const groupRef = stringifyEntityRef({ kind: 'group', ...ref });
    // The catalog answers per caller (read permissions), so only the same caller's requests join.
    const principal = credentials.principal as {
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${
      principal.userEntityRef ?? principal.subject ?? 'none'
    }|${groupRef}`;
    let pending = this.inflightTeams.get(key);
    if (!pending) {
      pending = this.loadTeamStatus(groupRef, credentials).finally(() =>
        this.inflightTeams.delete(key),
      );
      this.inflightTeams.set(key, pending);
    }
    return pending;
  }

  private async loadTeamStatus(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<TeamStatus> {
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
        // Only what the team view needs: a fraction of each entity to serialize and filter.
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    return this.status.teamStatus(groupRef, items);
  }
}
