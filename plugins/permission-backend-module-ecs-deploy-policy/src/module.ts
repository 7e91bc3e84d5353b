import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readEcsDeployPolicyConfig } from './config';
import { EcsDeployPermissionPolicy } from './EcsDeployPermissionPolicy';

/**
 * The ECS deploy permission policy for the permission backend (`ecsDeploy.permissions`).
 *
 * @public
 */
export const permissionModuleEcsDeployPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ecs-deploy-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(
          new EcsDeployPermissionPolicy(readEcsDeployPolicyConfig(config)),
        );
      },
    });
  },
});
