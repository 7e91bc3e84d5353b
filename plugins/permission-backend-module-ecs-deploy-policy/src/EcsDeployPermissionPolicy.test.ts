/*
 * The policy's decisions, applied as the ECS deploy backend applies them: conditional decisions on
 * promotion targets evaluated with the plugin's own rules (createConditionAuthorizer), catalog
 * conditions with the catalog's isEntityOwner rule.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ecsDeployLogsReadPermission,
  ecsDeployHoldDeploymentPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeploySkipBakePermission,
  ecsDeployTargetApprovePromotionPermission,
  ecsDeployTargetPromotePermission,
  ecsDeployTargetRequestPromotionPermission,
  ecsDeployTargetRollbackPermission,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  EcsDeployTarget,
  ecsDeployTargetPermissionRules,
} from '@deployment-portal/plugin-ecs-deploy-node';
import { readEcsDeployPolicyConfig } from './config';
import { EcsDeployPermissionPolicy } from './EcsDeployPermissionPolicy';

const ALICE = 'user:default/alice'; // team-payments, which owns payments-api
const CAROL = 'user:default/carol'; // team-search
const DAVE = 'user:default/dave'; // platform, the admin group

const claims: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [CAROL]: [CAROL, 'group:default/team-search'],
  [DAVE]: [DAVE, 'group:default/platform'],
};

const config = (environments: object[] = []) =>
  mockServices.rootConfig({
    data: {
      ecsDeploy: {
        environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
        permissions: { adminGroups: ['group:default/platform'], environments },
      },
    },
  });

const policy = new EcsDeployPermissionPolicy(
  readEcsDeployPolicyConfig(
    config([
      { name: 'staging', promote: 'owners' },
      { name: 'prod', promote: 'owners-with-approval' },
      { name: 'dev', promote: 'admins' },
    ]),
  ),
);

const ask = (permission: Permission, userEntityRef?: string) =>
  policy.handle(
    { permission },
    userEntityRef
      ? {
          credentials: mockCredentials.user(userEntityRef),
          info: {
            userEntityRef,
            ownershipEntityRefs: claims[userEntityRef],
          },
        }
      : undefined,
  );

const applyTarget = createConditionAuthorizer(
  Object.values(ecsDeployTargetPermissionRules),
);

const target = (
  targetEnvironment: string,
  approved = false,
): EcsDeployTarget => ({
  entityRef: 'component:default/payments-api',
  owners: ['group:default/team-payments'],
  ownerMembers: [ALICE, 'user:default/bob'],
  targetEnvironment,
  approved,
});

/** Whether `user` may make the write to `env`, as the backend decides it. */
async function may(
  permission: Permission,
  user: string,
  env: string,
  approved = false,
): Promise<boolean> {
  const decision = await ask(permission, user);
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  return applyTarget(decision, target(env, approved));
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'group:default/team-payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

/** A catalog-entity decision applied to payments-api with the catalog's own rule. */
function onEntity(decision: PolicyDecision): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const { conditions } = decision as ConditionalPolicyDecision;
  if (!('rule' in conditions) || conditions.rule !== 'IS_ENTITY_OWNER') {
    throw new Error(`unexpected conditions ${JSON.stringify(conditions)}`);
  }
  return permissionRules.isEntityOwner.apply(
    entity,
    conditions.params as { claims: string[] },
  );
}

describe('EcsDeployPermissionPolicy', () => {
  const promote = ecsDeployTargetPromotePermission;

  it.each([
    // [environment, approved, alice (owner), carol (another team), dave (admin)]
    ['staging', false, true, false, true],
    ['staging', true, true, false, true],
    ['prod', false, false, false, true],
    ['prod', true, true, false, true],
    ['dev', false, false, false, true],
    ['dev', true, false, false, true],
  ])(
    'promote into %s (approved request: %s): owner %s, another team %s, admin %s',
    async (env, approved, alice, carol, dave) => {
      expect(await may(promote, ALICE, env, approved)).toBe(alice);
      expect(await may(promote, CAROL, env, approved)).toBe(carol);
      expect(await may(promote, DAVE, env, approved)).toBe(dave);
    },
  );

  it.each([
    ['rollback', true, true, false, ecsDeployTargetRollbackPermission],
    ['approve', true, true, false, ecsDeployTargetApprovePromotionPermission],
    ['request', true, true, true, ecsDeployTargetRequestPromotionPermission],
  ])(
    '%s for an owner: staging %s, prod %s, dev (admins only) %s; never another team',
    async (_verb, staging, prod, dev, permission) => {
      expect(await may(permission, ALICE, 'staging')).toBe(staging);
      expect(await may(permission, ALICE, 'prod')).toBe(prod);
      expect(await may(permission, ALICE, 'dev')).toBe(dev);
      for (const env of ['staging', 'prod', 'dev']) {
        expect(await may(permission, CAROL, env)).toBe(false);
      }
    },
  );

  it('answers target writes with a condition for the backend, not a blanket allow', async () => {
    expect(await ask(promote, ALICE)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'ecs-deploy',
      resourceType: 'ecs-deploy-target',
    });
  });

  it('leaves every environment to the owners when none is listed', async () => {
    const open = new EcsDeployPermissionPolicy(
      readEcsDeployPolicyConfig(config()),
    );
    const decision = await open.handle(
      { permission: promote },
      {
        credentials: mockCredentials.user(ALICE),
        info: { userEntityRef: ALICE, ownershipEntityRefs: claims[ALICE] },
      },
    );
    expect(decision).toMatchObject({
      conditions: { rule: 'IS_ENTITY_OWNER', params: { userEntityRef: ALICE } },
    });
  });

  it.each([
    [ALICE, true],
    [CAROL, false],
    [DAVE, true],
  ])(
    'reading logs, holding a deployment and deleting the entity for %s: %s',
    async (user, expected) => {
      for (const permission of [
        ecsDeployLogsReadPermission,
        ecsDeployHoldDeploymentPermission,
        catalogEntityDeletePermission,
      ]) {
        expect(onEntity(await ask(permission, user))).toBe(expected);
      }
    },
  );

  it.each([
    ['override a freeze window', ecsDeployOverrideFreezePermission],
    ["skip a deployment's bake", ecsDeploySkipBakePermission],
  ])('lets only the admin groups %s', async (_, permission) => {
    expect(await ask(permission, DAVE)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    for (const user of [ALICE, CAROL]) {
      expect(await ask(permission, user)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies writes without a user and allows reading the catalog', async () => {
    expect(await ask(promote)).toEqual({ result: AuthorizeResult.DENY });
    expect(await ask(catalogEntityReadPermission, CAROL)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it.each([
    [
      [{ name: 'qa', promote: 'owners' }],
      "ecsDeploy.permissions.environments[0].name 'qa' is not an environment of ecsDeploy.environments (dev, staging, prod)",
    ],
    [
      [{ name: 'prod', promote: 'everyone' }],
      "ecsDeploy.permissions.environments[0].promote must be one of owners, owners-with-approval, admins, got 'everyone'",
    ],
    [
      [
        { name: 'prod', promote: 'admins' },
        { name: 'prod', promote: 'owners' },
      ],
      "ecsDeploy.permissions.environments[1].name 'prod' is listed twice",
    ],
  ])('refuses to start on %j', (environments, message) => {
    expect(() => readEcsDeployPolicyConfig(config(environments))).toThrow(
      message,
    );
  });
});
