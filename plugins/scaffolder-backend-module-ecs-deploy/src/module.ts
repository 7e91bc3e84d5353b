import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAdoptServiceAction } from './actions/adoptService';
import { createClaimServiceAction } from './actions/claimService';
import { createAdoptionClient } from './adoptionClient';
import { createExistingServiceReader } from './adoption/readExisting';
import { createCheckServiceAction } from './actions/checkService';
import { createFormDefaultsAction } from './actions/formDefaults';
import { createImportServicesAction } from './actions/importServices';
import { createProvisionAction } from './actions/provision';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRenderServiceAction } from './actions/renderService';
import {
  readEcsDeployScaffolderOptions,
  readProvisionSettings,
} from './config';
import { createServiceClaims } from './serviceClaims';
import { createServiceNameChecker } from './serviceNames';

/**
 * Scaffolder module with the ECS deploy actions: `ecs-deploy:form-defaults`,
 * `ecs-deploy:check-service`, `ecs-deploy:render-service`, `ecs-deploy:adopt-service`,
 * `ecs-deploy:claim-service`, `ecs-deploy:provision` and
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
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        scaffolderActions: scaffolderActionsExtensionPoint,
      },
      async init({
        config,
        logger,
        auth,
        discovery,
        userInfo,
        catalog,
        scaffolderActions,
      }) {
        const options = readEcsDeployScaffolderOptions(config);
        const provision = readProvisionSettings(config, {
          backend: options.backend,
          environments: options.environments,
          logger,
        });
        logger.info('ECS deploy scaffolder actions', {
          environments: options.environments.map(e => e.name).join(','),
          modulesSource: options.modulesSource,
          backend: options.backend.type,
          localPublishDir: options.localPublishDir,
          provision: provision.mode,
        });
        const claims = createServiceClaims({
          catalog,
          auth,
          userInfo,
          names: createServiceNameChecker({ discovery, auth }),
          localPublishDir: options.localPublishDir,
          adminGroups: options.adminGroups,
        });
        const read = createExistingServiceReader(options);
        const adoptions = createAdoptionClient({ discovery, auth });
        scaffolderActions.addActions(
          createFormDefaultsAction(),
          createCheckServiceAction({ scaffolder: options, claims }),
          createRenderServiceAction(options),
          createAdoptServiceAction({ scaffolder: options, read }),
          createClaimServiceAction({ adoptions }),
          createProvisionAction({ scaffolder: options, provision }),
          createImportServicesAction({
            scaffolder: options,
            provision,
            read,
            adoptions,
          }),
          createPublishLocalAction({
            localPublishDir: options.localPublishDir,
            catalog,
          }),
        );
      },
    });
  },
});
