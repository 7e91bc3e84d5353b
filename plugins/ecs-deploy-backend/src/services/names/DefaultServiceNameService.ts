import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ECS_DEPLOY_SERVICE_ANNOTATION,
  ECS_DEPLOY_SERVICE_ANNOTATION_PREFIX,
  ServiceNameCheck,
  ServiceNameConflict,
  serviceNameProblem,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../../config';
import type { ServiceNameService } from './types';
import type { ServiceStateStore } from '../status/types';

/**
 * Whether a new service may take a name: not an entity of the catalog (or the ECS service another
 * entity's annotation points at), and no ECS service of that name in any configured environment.
 * Reads with the plugin's own credentials, so entities the caller may not see still count; an
 * environment that cannot be read blocks the name (never claim what might be taken).
 */
export class DefaultServiceNameService implements ServiceNameService {
  constructor(
    private readonly options: {
      settings: Pick<EcsDeployConfig, 'environments'>;
      catalog: CatalogService;
      auth: AuthService;
      store: ServiceStateStore;
    },
  ) {}

  async check(name: string): Promise<ServiceNameCheck> {
    const problem = serviceNameProblem(name);
    if (problem) {
      return {
        name,
        available: false,
        conflicts: [{ code: 'invalid-name', message: `"${name}" ${problem}` }],
      };
    }
    const conflicts = [
      ...(await this.catalogConflicts(name)),
      ...(await this.ecsConflicts(name)),
    ];
    return { name, available: conflicts.length === 0, conflicts };
  }

  private async catalogConflicts(name: string): Promise<ServiceNameConflict[]> {
    const { catalog, auth, settings } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const annotationKeys = [
      ECS_DEPLOY_SERVICE_ANNOTATION,
      ...settings.environments.map(
        e => `${ECS_DEPLOY_SERVICE_ANNOTATION_PREFIX}${e.name}`,
      ),
    ];
    const { items } = await catalog.getEntities(
      {
        filter: [
          { kind: 'Component', 'metadata.name': name },
          ...annotationKeys.map(key => ({
            [`metadata.annotations.${key}`]: name,
          })),
        ],
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
      },
      { credentials },
    );
    return items.map(entity => {
      const owner = (entity.spec as { owner?: string } | undefined)?.owner;
      const ref = stringifyEntityRef(entity);
      return {
        code: 'entity-exists' as const,
        message:
          entity.metadata.name === name
            ? `${ref} already exists${owner ? ` (owned by ${owner})` : ''}`
            : `${ref}${
                owner ? ` (owned by ${owner})` : ''
              } already names the ECS service ${name}`,
      };
    });
  }

  private async ecsConflicts(name: string): Promise<ServiceNameConflict[]> {
    const { settings, store } = this.options;
    const results = await Promise.all(
      settings.environments.map(async env => ({
        env,
        result: (await store.read(env, [name], { fresh: true })).get(name)!,
      })),
    );
    return results.flatMap(({ env, result }): ServiceNameConflict[] => {
      if (result.error && !result.state) {
        return [
          {
            code: 'environment-unreadable',
            environment: env.name,
            message: `Cannot check ${env.name} (cluster ${env.cluster}): ${result.error.message}`,
          },
        ];
      }
      if (!result.state?.summary) return [];
      const tag = result.state.entityRefTag;
      return [
        {
          code: 'ecs-service-exists',
          environment: env.name,
          message: `An ECS service ${name} already runs in ${
            env.name
          } (cluster ${env.cluster})${tag ? `, tagged for ${tag}` : ''}`,
        },
      ];
    });
  }
}
