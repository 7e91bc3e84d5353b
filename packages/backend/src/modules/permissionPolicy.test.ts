import { mockServices } from '@backstage/backend-test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ecsDeployApprovePromotionPermission,
  ecsDeployLogsReadPermission,
  ecsDeployOverrideFreezePermission,
  ecsDeployPromotePermission,
  ecsDeployRequestPromotionPermission,
  ecsDeployRollbackPermission,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { PortalPermissionPolicy } from './permissionPolicy';

const MEMBERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-payments'],
  'user:default/carol': ['user:default/carol', 'group:default/team-search'],
  'user:default/dave': ['user:default/dave', 'group:default/platform'],
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'group:default/team-payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

const policy = PortalPermissionPolicy.fromConfig(
  mockServices.rootConfig({
    data: {
      ecsDeploy: { permissions: { adminGroups: ['group:default/platform'] } },
    },
  }),
  mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: MEMBERSHIP[ref] ?? [ref],
      };
    },
  }),
);

/** Resolves a decision for `entity` the way the catalog does: with its own isEntityOwner rule. */
function resolve(decision: PolicyDecision): AuthorizeResult {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result;
  }
  const { conditions } = decision as ConditionalPolicyDecision;
  if (!('rule' in conditions) || conditions.rule !== 'IS_ENTITY_OWNER') {
    throw new Error(`unexpected conditions ${JSON.stringify(conditions)}`);
  }
  const params = conditions.params as { claims: string[] };
  return permissionRules.isEntityOwner.apply(entity, params)
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

const ask = (permission: any, user?: string) =>
  policy.handle(
    { permission },
    user
      ? {
          credentials: mockCredentials.user(user),
          info: { userEntityRef: user, ownershipEntityRefs: [] },
        }
      : undefined,
  );

describe('PortalPermissionPolicy', () => {
  it.each([
    ['the owning team', 'user:default/alice', AuthorizeResult.ALLOW],
    ['an admin group member', 'user:default/dave', AuthorizeResult.ALLOW],
    ['another team', 'user:default/carol', AuthorizeResult.DENY],
    ['a user in no group', 'user:default/nobody', AuthorizeResult.DENY],
  ])(
    'promote, rollback, request, approve, read logs and delete for %s (%s) → %s',
    async (_label, user, expected) => {
      for (const permission of [
        ecsDeployPromotePermission,
        ecsDeployRollbackPermission,
        ecsDeployRequestPromotionPermission,
        ecsDeployApprovePromotionPermission,
        ecsDeployLogsReadPermission,
        catalogEntityDeletePermission,
      ]) {
        expect(resolve(await ask(permission, user))).toBe(expected);
      }
    },
  );

  it('answers owner-only permissions with a catalog condition, not a blanket allow', async () => {
    const decision = await ask(
      ecsDeployPromotePermission,
      'user:default/alice',
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/alice', 'group:default/team-payments'],
        },
      },
    });
  });

  it.each([
    ['an admin group member', 'user:default/dave', AuthorizeResult.ALLOW],
    ['an owner who is no admin', 'user:default/alice', AuthorizeResult.DENY],
    ['another team', 'user:default/carol', AuthorizeResult.DENY],
  ])(
    'overriding a freeze window for %s (%s) → %s',
    async (_label, user, expected) => {
      expect(await ask(ecsDeployOverrideFreezePermission, user)).toEqual({
        result: expected,
      });
    },
  );

  it('denies owner-only permissions without a user', async () => {
    expect(await ask(ecsDeployPromotePermission)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('allows reading the catalog', async () => {
    expect(
      await ask(catalogEntityReadPermission, 'user:default/carol'),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
