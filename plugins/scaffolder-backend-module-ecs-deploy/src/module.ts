import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRenderServiceAction } from './actions/renderService';
import { readEcsDeployScaffolderOptions } from './config';

/**
 * Scaffolder module with the ECS deploy actions: `ecs-deploy:render-service` and
 * `ecs-deploy:publish-local`.
 *
 * @public
 */
export const scaffolderModuleEcsDeploy = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ecs-deploy',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        scaffolderActions: scaffolderActionsExtensionPoint,
      },
      async init({ config, logger, catalog, scaffolderActions }) {
        const options = readEcsDeployScaffolderOptions(config);
        logger.info('ECS deploy scaffolder actions', {
          environments: options.environments.map(e => e.name).join(','),
          modulesSource: options.modulesSource,
          backend: options.backend.type,
          localPublishDir: options.localPublishDir,
        });
        scaffolderActions.addActions(
          createRenderServiceAction(options),
          createPublishLocalAction({
            localPublishDir: options.localPublishDir,
            catalog,
          }),
        );
      },
    });
  },
});
