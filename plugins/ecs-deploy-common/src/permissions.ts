/*
 * The plugin's permissions. Writes are decided on the promotion target (resource type
 * `ecs-deploy-target`: an entity's service in one environment), so that a policy can scope them
 * by environment; the backend applies the policy's conditions itself, with the catalog's data at
 * decision time (rules in `@deployment-portal/plugin-ecs-deploy-node`).
 */
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * The resource type of a promotion target: an entity's ECS service in one environment, which a
 * promotion, a rollback, a promotion request or its approval writes to.
 *
 * @public
 */
export const RESOURCE_TYPE_ECS_DEPLOY_TARGET = 'ecs-deploy-target';

/** A promotion target, as a permission's resource ref names it. @public */
export interface EcsDeployTargetRef {
  entityRef: string;
  environment: string;
}

/**
 * The resource ref of a promotion target: `<entity ref>@<environment>`
 * (`component:default/payments-api@prod`; neither part may contain `@`).
 *
 * @public
 */
export function stringifyEcsDeployTargetRef(ref: EcsDeployTargetRef): string {
  return `${ref.entityRef}@${ref.environment}`;
}

/** The entity ref and environment of a target's resource ref; undefined when it is none. @public */
export function parseEcsDeployTargetRef(
  resourceRef: string,
): EcsDeployTargetRef | undefined {
  const at = resourceRef.lastIndexOf('@');
  if (at <= 0 || at === resourceRef.length - 1) return undefined;
  return {
    entityRef: resourceRef.slice(0, at),
    environment: resourceRef.slice(at + 1),
  };
}

/**
 * Promote into the target environment: directly, or by carrying out an approved promotion request
 * (the approver's write; the target's `approved` is then true).
 *
 * @public
 */
export const ecsDeployTargetPromotePermission = createPermission({
  name: 'ecs-deploy.target.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ECS_DEPLOY_TARGET,
});

/** Roll the target environment back to the revision the last action replaced. @public */
export const ecsDeployTargetRollbackPermission = createPermission({
  name: 'ecs-deploy.target.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ECS_DEPLOY_TARGET,
});

/** Ask for a promotion into the target environment that needs an approval. @public */
export const ecsDeployTargetRequestPromotionPermission = createPermission({
  name: 'ecs-deploy.target.request-promotion',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_ECS_DEPLOY_TARGET,
});

/**
 * Approve or reject another person's promotion request into the target environment (never one's
 * own: the backend refuses, whatever the policy says).
 *
 * @public
 */
export const ecsDeployTargetApprovePromotionPermission = createPermission({
  name: 'ecs-deploy.target.approve-promotion',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ECS_DEPLOY_TARGET,
});

/** The permissions on promotion targets. @public */
export const ecsDeployTargetPermissions = [
  ecsDeployTargetPromotePermission,
  ecsDeployTargetRollbackPermission,
  ecsDeployTargetRequestPromotionPermission,
  ecsDeployTargetApprovePromotionPermission,
];

/**
 * Roll the images running in one environment out to the next one (staging → prod).
 *
 * @deprecated Decided on the promotion target now: the backend checks `ecsDeployTargetPromotePermission` (resource
 * `ecs-deploy-target`) and no longer this one. Kept for policies that name it.
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
 * @deprecated Decided on the promotion target now: the backend checks `ecsDeployTargetRollbackPermission` (resource
 * `ecs-deploy-target`) and no longer this one. Kept for policies that name it.
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
 * @deprecated Decided on the promotion target now: the backend checks `ecsDeployTargetRequestPromotionPermission` (resource
 * `ecs-deploy-target`) and no longer this one. Kept for policies that name it.
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
 * @deprecated Decided on the promotion target now: the backend checks `ecsDeployTargetApprovePromotionPermission` (resource
 * `ecs-deploy-target`) and no longer this one. Kept for policies that name it.
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

/**
 * List the ECS services that no catalog entity owns yet, with their images and tags (onboarding).
 *
 * @public
 */
export const ecsDeployUnclaimedReadPermission = createPermission({
  name: 'ecs-deploy.unclaimed.read',
  attributes: { action: 'read' },
});

/**
 * Hold a deployment in progress before its next traffic step, and continue it (the portal's
 * policy: the entity's owners and the admin groups).
 *
 * @public
 */
export const ecsDeployHoldDeploymentPermission = createPermission({
  name: 'ecs-deploy.deployment.hold',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Skip the bake of a deployment in progress, with a mandatory reason (admins).
 *
 * @public
 */
export const ecsDeploySkipBakePermission = createPermission({
  name: 'ecs-deploy.deployment.skip-bake',
  attributes: { action: 'update' },
});

/** Every permission of the plugin. @public */
export const ecsDeployPermissions = [
  ...ecsDeployTargetPermissions,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployLogsReadPermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployApprovePromotionPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployUnclaimedReadPermission,
  ecsDeployHoldDeploymentPermission,
  ecsDeploySkipBakePermission,
];
