import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Catalog module for the local default: when `ecsDeploy.scaffolder.allowFileLocations` is true,
 * lets the catalog accept `file` locations besides `url` ones, which `ecs-deploy:publish-local`
 * registers. Do not install it where users must not
 * register files of the backend host (production publishes to GitHub and uses `url`).
 *
 * @public
 */
export const catalogModuleEcsDeployFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ecs-deploy-file-locations',
  register({ registerInit }) {
    registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ locations, config }) {
        // Off unless `ecsDeploy.scaffolder.allowFileLocations: true` (the local default).
        if (
          config.getOptionalBoolean('ecsDeploy.scaffolder.allowFileLocations')
        ) {
          locations.setAllowedLocationTypes(['url', 'file']);
        }
      },
    });
  },
});
