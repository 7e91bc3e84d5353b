import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ecsDeployGatesExtensionPoint } from '@deployment-portal/plugin-ecs-deploy-node';
import { createChangeTicketGate } from './changeTicketGate';
import { readChangeTicketConfig } from './config';

/**
 * The change-ticket gate for the ECS deploy backend: promotions into
 * `ecsDeploy.changeTicket.environments` need an approved change ticket in the ITSM.
 *
 * @public
 */
export const ecsDeployModuleChangeTicket = createBackendModule({
  pluginId: 'ecs-deploy',
  moduleId: 'change-ticket',
  register(reg) {
    reg.registerInit({
      deps: {
        gates: ecsDeployGatesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ gates, config, logger }) {
        const settings = readChangeTicketConfig(config);
        gates.addGate(createChangeTicketGate(settings));
        logger.info(
          `Promotions into ${settings.environments.join(', ')} need an approved change ticket (${settings.itsm.baseUrl})`,
        );
      },
    });
  },
});
