/*
 * The ECS deploy permission policy, scoped by environment:
 *
 * - Writes to a promotion target (promote, roll back, request and approve promotions): the
 *   admin groups anywhere; the entity's owners (as the catalog has the owner teams' members when
 *   the ECS deploy backend decides) as `ecsDeploy.permissions.environments` says per environment:
 *   `owners` (the default) directly, `owners-with-approval` only through an approved request,
 *   `admins` not at all (owners may still request; an admin approves and promotes).
 * - Reading an entity's task logs and deleting a catalog entity (and the deprecated `ecs-deploy.service.*`
 *   permissions a frontend may still ask): the owners and the admin groups.
 * - Holding, continuing or aborting a deployment in progress: the owners and the admin groups.
 * - Overriding a freeze window, skipping a deployment's bake: the admin groups only.
 * - Everything else: allowed.
 *
 * The user is the one the permission backend resolved (`PolicyQueryUser.info`); nothing is fetched
 * again. Target ownership is not taken from the token: the backend applies `isEntityOwner` to
 * the catalog's members at decision time.
 */
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  ecsDeployApprovePromotionPermission,
  ecsDeployHoldDeploymentPermission,
  ecsDeployLogsReadPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployPromotePermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployRollbackPermission,
  ecsDeploySkipBakePermission,
  ecsDeployTargetPromotePermission,
  ecsDeployTargetRequestPromotionPermission,
  RESOURCE_TYPE_ECS_DEPLOY_TARGET,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  createEcsDeployTargetConditionalDecision,
  ecsDeployTargetConditions,
} from '@deployment-portal/plugin-ecs-deploy-node';
import type { EcsDeployPolicyConfig, EnvironmentPromoters } from './config';

type TargetCriteria = PermissionCriteria<
  PermissionCondition<typeof RESOURCE_TYPE_ECS_DEPLOY_TARGET>
>;

/** Decided on the catalog entity: its owners (the token's claims) and the admin groups. */
const ENTITY_OWNER_ONLY = [
  ecsDeployLogsReadPermission,
  catalogEntityDeletePermission,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployApprovePromotionPermission,
  ecsDeployHoldDeploymentPermission,
];

/** The admin groups only. */
const ADMIN_ONLY = [
  ecsDeployOverrideFreezePermission,
  ecsDeploySkipBakePermission,
];

/** The permission policy of ECS deploy. @public */
export class EcsDeployPermissionPolicy implements PermissionPolicy {
  constructor(private readonly config: EcsDeployPolicyConfig) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const onTarget = isResourcePermission(
      permission,
      RESOURCE_TYPE_ECS_DEPLOY_TARGET,
    );
    const onEntity = ENTITY_OWNER_ONLY.find(p => isPermission(permission, p));
    const adminOnly = ADMIN_ONLY.some(p => isPermission(permission, p));
    if (!onTarget && !onEntity && !adminOnly) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const claims = user.info.ownershipEntityRefs;
    if (claims.some(ref => this.config.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (onTarget) {
      return createEcsDeployTargetConditionalDecision(
        permission,
        this.ownersMay(permission.name, user.info.userEntityRef),
      );
    }
    if (onEntity) {
      return createCatalogConditionalDecision(
        onEntity,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }

  /** Where an owner may make this write (the owners, as the backend reads them from the catalog). */
  private ownersMay(permission: string, userEntityRef: string): TargetCriteria {
    const owner = ecsDeployTargetConditions.isEntityOwner({ userEntityRef });
    const admins = this.environments('admins');
    const withApproval = this.environments('owners-with-approval');
    if (permission === ecsDeployTargetRequestPromotionPermission.name) {
      return owner;
    }
    if (permission !== ecsDeployTargetPromotePermission.name) {
      return this.outside(admins, owner);
    }
    const direct = this.outside([...admins, ...withApproval], owner);
    if (withApproval.length === 0) return direct;
    return {
      anyOf: [
        direct,
        {
          allOf: [
            ecsDeployTargetConditions.isTargetEnvironment({
              environments: withApproval,
            }),
            owner,
            ecsDeployTargetConditions.isApprovedRequest(),
          ],
        },
      ],
    };
  }

  /** `criteria` in every environment but `excluded`. */
  private outside(
    excluded: string[],
    criteria: TargetCriteria,
  ): TargetCriteria {
    if (excluded.length === 0) return criteria;
    return {
      allOf: [
        {
          not: ecsDeployTargetConditions.isTargetEnvironment({
            environments: excluded,
          }),
        },
        criteria,
      ],
    };
  }

  private environments(promoters: EnvironmentPromoters): string[] {
    return Object.entries(this.config.environments)
      .filter(([, p]) => p === promoters)
      .map(([name]) => name);
  }
}
