import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ecsDeployApprovePromotionPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployPromotePermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployRollbackPermission,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Caller } from '../types';

const VERBS = new Map([
  [ecsDeployPromotePermission.name, 'promote'],
  [ecsDeployRollbackPermission.name, 'roll back'],
  [ecsDeployRequestPromotionPermission.name, 'request promotions of'],
  [ecsDeployApprovePromotionPermission.name, 'approve promotions of'],
]);

/** Whether the caller may act during an open freeze window (the policy: admins). */
export async function mayOverrideFreeze(
  permissions: PermissionsService,
  caller: Caller,
): Promise<boolean> {
  const [decision] = await permissions.authorize(
    [{ permission: ecsDeployOverrideFreezePermission }],
    { credentials: caller.credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}

/**
 * Asks the permission framework (the portal's policy: the entity's owners and the admin groups)
 * whether the caller may act on the entity; the refusal as a guard, or undefined when allowed.
 */
export async function permissionRefusal(
  permissions: PermissionsService,
  permission: typeof ecsDeployPromotePermission,
  entity: Entity,
  caller: Caller,
): Promise<GuardResult | undefined> {
  const entityRef = stringifyEntityRef(entity);
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials: caller.credentials },
  );
  if (decision.result === AuthorizeResult.ALLOW) {
    return undefined;
  }
  return {
    code: 'not-permitted',
    message: `${caller.userEntityRef} may not ${
      VERBS.get(permission.name) ?? permission.name
    } ${entityRef}: only its owners and the admin groups may`,
  };
}
