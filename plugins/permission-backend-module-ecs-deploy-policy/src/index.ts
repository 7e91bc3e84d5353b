/**
 * A permission policy for ECS deploy: the entity's owners and the admin groups write, scoped per
 * environment (directly, only through an approved request, or admins only).
 *
 * @packageDocumentation
 */
export { permissionModuleEcsDeployPolicy as default } from './module';
export { EcsDeployPermissionPolicy } from './EcsDeployPermissionPolicy';
export {
  readEcsDeployPolicyConfig,
  type EcsDeployPolicyConfig,
  type EnvironmentPromoters,
} from './config';
