import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Roll the images running in one environment out to the next one (staging → prod).
 * A resource permission on the catalog entity, so policies can use catalog conditions such as
 * `isEntityOwner`.
 *
 * @public
 */
export const ecsDeployPromotePermission = createPermission({
  name: 'ecs-deploy.service.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Return one environment of an entity to the task definition revision it ran before.
 *
 * @public
 */
export const ecsDeployRollbackPermission = createPermission({
  name: 'ecs-deploy.service.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the CloudWatch logs of an entity's ECS tasks. Logs can hold secrets, so reading them is a
 * permission of its own (the portal's policy: the entity's owners and the admin groups).
 *
 * @public
 */
export const ecsDeployLogsReadPermission = createPermission({
  name: 'ecs-deploy.logs.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the plugin. @public */
export const ecsDeployPermissions = [
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployLogsReadPermission,
];
