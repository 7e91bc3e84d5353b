/*
 * What the permission policy says about a caller's write: promote, roll back, request or approve
 * a promotion into an environment (decided on the promotion target, see TargetPermissions), and
 * overriding a freeze window. A refusal is a `not-permitted` guard in previews and a 403 on writes.
 */
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ecsDeployHoldDeploymentPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  ecsDeployTargetApprovePromotionPermission,
  ecsDeployTargetPromotePermission,
  ecsDeployTargetRequestPromotionPermission,
  ecsDeployTargetRollbackPermission,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { Caller } from '../catalog/types';
import type {
  TargetPermissions,
  TargetQuestion,
} from '../permissions/TargetPermissions';

const VERBS = new Map([
  [ecsDeployTargetPromotePermission.name, 'promote'],
  [ecsDeployTargetRollbackPermission.name, 'roll back'],
  [ecsDeployTargetRequestPromotionPermission.name, 'request promotions of'],
  [ecsDeployTargetApprovePromotionPermission.name, 'approve promotions of'],
]);

/**
 * How the policy answers the caller's promotion into `to`: `allowed` directly, only through an
 * approved request (`approval`: the path then needs an approval, whatever its config says), or
 * `denied`.
 */
export type PromotionPermit = 'allowed' | 'approval' | 'denied';

export async function promotionPermit(
  targets: TargetPermissions,
  entity: Entity,
  caller: Caller,
  where: { from: string; to: string },
): Promise<PromotionPermit> {
  const permission = ecsDeployTargetPromotePermission;
  const [direct, approved] = await targets.decide(entity, caller, [
    { permission, ...where },
    { permission, ...where, approved: true },
  ]);
  if (direct) return 'allowed';
  return approved ? 'approval' : 'denied';
}

/** The refusal of a write the policy does not permit, as a guard. */
export function notPermitted(
  entity: Entity,
  caller: Caller,
  question: Pick<TargetQuestion, 'permission' | 'to'>,
): GuardResult {
  const verb = VERBS.get(question.permission.name) ?? question.permission.name;
  return {
    code: 'not-permitted',
    message: `${caller.userEntityRef} may not ${verb} ${stringifyEntityRef(
      entity,
    )} in ${question.to}: the permission policy does not allow it`,
  };
}

/** Asks the policy about one write; the refusal as a guard, or undefined when permitted. */
export async function permissionRefusal(
  targets: TargetPermissions,
  entity: Entity,
  caller: Caller,
  question: TargetQuestion,
): Promise<GuardResult | undefined> {
  const [allowed] = await targets.decide(entity, caller, [question]);
  return allowed ? undefined : notPermitted(entity, caller, question);
}

/** What the entity-level permissions let a caller do, in a refusal's words. */
const ENTITY_VERBS = new Map([
  [ecsDeployPromotePermission.name, 'promote'],
  [ecsDeployRollbackPermission.name, 'roll back'],
  [ecsDeployHoldDeploymentPermission.name, 'hold, continue or abort deployments of'],
]);

/**
 * Asks the policy about an action on the entity as a whole (verifications, deployments in
 * progress), not on one promotion target; the refusal as a guard, or undefined when permitted.
 */
export async function entityPermissionRefusal(
  permissions: PermissionsService,
  permission:
    | typeof ecsDeployPromotePermission
    | typeof ecsDeployHoldDeploymentPermission,
  entity: Entity,
  caller: Caller,
): Promise<GuardResult | undefined> {
  const entityRef = stringifyEntityRef(entity);
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials: caller.credentials },
  );
  if (decision.result === AuthorizeResult.ALLOW) return undefined;
  return {
    code: 'not-permitted',
    message: `${caller.userEntityRef} may not ${
      ENTITY_VERBS.get(permission.name) ?? permission.name
    } ${entityRef}: only its owners and the admin groups may`,
  };
}

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
 * Why the caller may not make this write: the permissions on the target (all of them), then, for
 * a write that overrides a freeze window, the override; a 403 to throw, or undefined when allowed.
 */
export async function writeRefusal(
  deps: { targets: TargetPermissions; permissions: PermissionsService },
  entity: Entity,
  caller: Caller,
  questions: TargetQuestion[],
  options: { overridesFreeze: boolean },
): Promise<NotAllowedError | undefined> {
  const answers = await deps.targets.decide(entity, caller, questions);
  const refused = questions.find((_, i) => !answers[i]);
  if (refused) {
    return new NotAllowedError(notPermitted(entity, caller, refused).message);
  }
  if (
    options.overridesFreeze &&
    !(await mayOverrideFreeze(deps.permissions, caller))
  ) {
    return new NotAllowedError(
      `${caller.userEntityRef} may not override a freeze window: only the admin groups may`,
    );
  }
  return undefined;
}

/**
 * Whether the caller may make a promotion into `to`: a direct one (allowed, or only through an
 * approved request: then it `needsApproval`, the path's approval guard refusing it), or, carrying
 * out an approved request, the approver's approve and approved-promote permissions; then the
 * freeze override. The refusal is a 403 to throw.
 */
export async function authorizePromotion(
  deps: { targets: TargetPermissions; permissions: PermissionsService },
  entity: Entity,
  caller: Caller,
  where: { from: string; to: string },
  options: { approved: boolean; overridesFreeze: boolean },
): Promise<{ refusal?: NotAllowedError; needsApproval: boolean }> {
  if (options.approved) {
    const refusal = await writeRefusal(
      deps,
      entity,
      caller,
      [
        { permission: ecsDeployTargetApprovePromotionPermission, ...where },
        {
          permission: ecsDeployTargetPromotePermission,
          ...where,
          approved: true,
        },
      ],
      options,
    );
    return { refusal, needsApproval: false };
  }
  const permit = await promotionPermit(deps.targets, entity, caller, where);
  if (permit === 'denied') {
    const { message } = notPermitted(entity, caller, {
      permission: ecsDeployTargetPromotePermission,
      to: where.to,
    });
    return { refusal: new NotAllowedError(message), needsApproval: false };
  }
  return {
    refusal: await writeRefusal(deps, entity, caller, [], options),
    needsApproval: permit === 'approval',
  };
}
