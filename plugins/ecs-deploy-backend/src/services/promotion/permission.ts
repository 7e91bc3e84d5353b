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
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Caller } from '../catalog/types';

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

/**
 * Why the caller may not make this write: the permission on the entity, then (for a write that
 * overrides a freeze window) the override; a 403 to throw, or undefined when allowed.
 */
export async function writeRefusal(
  permissions: PermissionsService,
  permission: typeof ecsDeployPromotePermission,
  entity: Entity,
  caller: Caller,
  options: { overridesFreeze: boolean },
): Promise<NotAllowedError | undefined> {
  const refused = await permissionRefusal(
    permissions,
    permission,
    entity,
    caller,
  );
  if (refused) return new NotAllowedError(refused.message);
  if (
    options.overridesFreeze &&
    !(await mayOverrideFreeze(permissions, caller))
  ) {
    return new NotAllowedError(
      `${caller.userEntityRef} may not override a freeze window: only the admin groups may`,
    );
  }
  return undefined;
}
