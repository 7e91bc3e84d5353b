/*
 * The promotion target as a permission resource, and the rules a policy's conditions use on it.
 * The ECS deploy backend registers them and applies a policy's conditional decisions itself, on a
 * target it builds when it decides: the owners' members are read from the catalog then, so a team
 * change in the organisation's directory counts from the catalog's next refresh on, whatever the
 * caller's token says.
 */
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_ECS_DEPLOY_TARGET } from '@deployment-portal/plugin-ecs-deploy-common';
import { z } from 'zod';

/** An entity's ECS service in one environment, as a write's permission is decided on. @public */
export interface EcsDeployTarget {
  entityRef: string;
  /** The entity's owners: its ownedBy relations (groups or users). */
  owners: string[];
  /**
   * The users who own it at decision time: owners that are users, and the members of its owner
   * groups as the catalog has them.
   */
  ownerMembers: string[];
  /** The environment written to. */
  targetEnvironment: string;
  /** Where a promotion's images come from (none for a rollback). */
  sourceEnvironment?: string;
  /** The write carries out an approved promotion request. */
  approved: boolean;
}

/** A predicate over targets: what a rule's `toQuery` gives, to filter targets in memory. @public */
export type EcsDeployTargetQuery = (target: EcsDeployTarget) => boolean;

/** The promotion target's resource type, owned by the `ecs-deploy` plugin. @public */
export const ecsDeployTargetPermissionResourceRef =
  createPermissionResourceRef<EcsDeployTarget, EcsDeployTargetQuery>().with({
    pluginId: 'ecs-deploy',
    resourceType: RESOURCE_TYPE_ECS_DEPLOY_TARGET,
  });

const isTargetEnvironment = createPermissionRule({
  name: 'IS_TARGET_ENVIRONMENT',
  description: 'Allow writes into one of the given environments',
  resourceRef: ecsDeployTargetPermissionResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Environment names (ecsDeploy.environments), e.g. [staging]'),
  }),
  apply: (target, { environments }) =>
    environments.includes(target.targetEnvironment),
  toQuery:
    ({ environments }) =>
    target =>
      environments.includes(target.targetEnvironment),
});

const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    "Allow the user who owns the entity: an owner, or a member of an owner group as the catalog has it when deciding (not as the user's token claims)",
  resourceRef: ecsDeployTargetPermissionResourceRef,
  paramsSchema: z.object({
    userEntityRef: z
      .string()
      .describe('The user entity ref of the caller, e.g. user:default/alice'),
  }),
  apply: (target, { userEntityRef }) =>
    target.ownerMembers.includes(userEntityRef),
  toQuery:
    ({ userEntityRef }) =>
    target =>
      target.ownerMembers.includes(userEntityRef),
});

const isApprovedRequest = createPermissionRule({
  name: 'IS_APPROVED_REQUEST',
  description:
    'Allow a promotion that carries out an approved promotion request (its approval)',
  resourceRef: ecsDeployTargetPermissionResourceRef,
  apply: target => target.approved,
  toQuery: () => target => target.approved,
});

/** The rules of promotion targets, as the backend registers them. @public */
export const ecsDeployTargetPermissionRules = {
  isTargetEnvironment,
  isEntityOwner,
  isApprovedRequest,
};

const exported = createConditionExports({
  resourceRef: ecsDeployTargetPermissionResourceRef,
  rules: ecsDeployTargetPermissionRules,
});

/**
 * Conditions on promotion targets for a permission policy:
 * `isTargetEnvironment({ environments })`, `isEntityOwner({ userEntityRef })`,
 * `isApprovedRequest()`.
 *
 * @public
 */
export const ecsDeployTargetConditions = exported.conditions;

/**
 * Wraps conditions on promotion targets into a policy's conditional decision for an
 * `ecs-deploy.target.*` permission.
 *
 * @public
 */
export const createEcsDeployTargetConditionalDecision =
  exported.createConditionalDecision;
