/**
 * Scaffolder actions that render a new ECS service's Terraform (from terraform-modules/) and
 * catalog descriptor, and publish it locally when no Git host is configured.
 *
 * @packageDocumentation
 */
export { scaffolderModuleEcsDeploy as default } from './module';
export { catalogModuleEcsDeployFileLocations } from './catalogModule';
export { createCheckServiceAction } from './actions/checkService';
export { createFormDefaultsAction } from './actions/formDefaults';
export { createRenderServiceAction } from './actions/renderService';
export { createPublishLocalAction } from './actions/publishLocal';
export type { PublishLocalActionOptions } from './actions/publishLocal';
export { readEcsDeployScaffolderOptions } from './config';
export type {
  EcsDeployScaffolderOptions,
  ScaffolderEnvironment,
} from './config';
export type { TerraformRoleSettings } from './terraformRole';
export type { BackendSettings } from './validation';
export type { ServiceClaims } from './serviceClaims';
