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

/**
 * Ask for a promotion on a path that requires an approval (with a reason).
 *
 * @public
 */
export const ecsDeployRequestPromotionPermission = createPermission({
  name: 'ecs-deploy.service.request-promotion',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Approve or reject another person's promotion request (never one's own: the backend refuses).
 *
 * @public
 */
export const ecsDeployApprovePromotionPermission = createPermission({
  name: 'ecs-deploy.service.approve-promotion',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Promote or roll back while a freeze window is open, with a mandatory reason (admins).
 *
 * @public
 */
export const ecsDeployOverrideFreezePermission = createPermission({
  name: 'ecs-deploy.freeze.override',
  attributes: { action: 'update' },
});

/** Every permission of the plugin. @public */
export const ecsDeployPermissions = [
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployLogsReadPermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployApprovePromotionPermission,
  ecsDeployOverrideFreezePermission,
];
