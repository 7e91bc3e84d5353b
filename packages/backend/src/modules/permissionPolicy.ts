/*
 * The portal's permission policy.
 *
 * - Promote, roll back, request and approve promotions (ECS deploy): an entity's owners, and
 *   members of the admin groups in `ecsDeploy.permissions.adminGroups`. Everyone else is denied.
 *   (The backend refuses an approval by the request's own requester, whatever the policy says.)
 * - Read an entity's task logs (ECS deploy; logs can hold secrets): its owners and the admin groups.
 * - Override a freeze window (ECS deploy): members of the admin groups only.
 * - Deleting a catalog entity: its owners and the admin groups.
 * - Everything else: allowed (reading the catalog, using templates, ...).
 *
 * Owners and admins are decided on the user's groups as the catalog has them now
 * (currentOwnership.ts): a team change in the directory counts from the org provider's next
 * refresh on.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  ecsDeployApprovePromotionPermission,
  ecsDeployLogsReadPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployPromotePermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployRollbackPermission,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { CatalogOwnership, type OwnershipSource } from './currentOwnership';

const OWNER_ONLY = [
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployApprovePromotionPermission,
  ecsDeployLogsReadPermission,
  catalogEntityDeletePermission,
];
const ADMIN_ONLY = [ecsDeployOverrideFreezePermission];

/** @public */
export class PortalPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config, ownership: OwnershipSource) {
    const adminGroups =
      config.getOptionalStringArray('ecsDeploy.permissions.adminGroups') ?? [];
    return new PortalPermissionPolicy(adminGroups, ownership);
  }

  constructor(
    private readonly adminGroups: string[],
    private readonly ownership: OwnershipSource,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const permission = request.permission;
    const ownerOnly = OWNER_ONLY.find(p => isPermission(permission, p));
    const adminOnly = ADMIN_ONLY.some(p => isPermission(permission, p));
    if (!ownerOnly && !adminOnly) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const ownershipEntityRefs = await this.ownership.ownershipEntityRefs(
      user.info.userEntityRef,
      user.info.ownershipEntityRefs,
    );
    if (ownershipEntityRefs.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!ownerOnly) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(
      ownerOnly,
      catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, config, catalog, auth }) {
        policy.setPolicy(
          PortalPermissionPolicy.fromConfig(
            config,
            new CatalogOwnership(catalog, auth),
          ),
        );
      },
    });
  },
});
