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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogOwnership } from './currentOwnership';
import { PortalPermissionPolicy } from './permissionPolicy';

/** The catalog's users: as an org provider (the directory) ingests them, with memberOf relations. */
function userEntity(name: string, ...groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: groups },
    relations: groups.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'group:default/team-payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
};

function policyOver(users: Entity[]) {
  return PortalPermissionPolicy.fromConfig(
    mockServices.rootConfig({
      data: {
        ecsDeploy: { permissions: { adminGroups: ['group:default/platform'] } },
      },
    }),
    new CatalogOwnership(
      catalogServiceMock({ entities: users }),
      mockServices.auth(),
    ),
  );
}

const policy = policyOver([
  userEntity('alice', 'team-payments'),
  userEntity('carol', 'team-search'),
  userEntity('dave', 'platform'),
  userEntity('nobody'),
]);

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

/** A request by `userRef`, whose token claims `tokenClaims` (fixed when it was issued). */
const ask = (
  permission: any,
  userRef?: string,
  tokenClaims: string[] = [],
  by = policy,
) =>
  by.handle(
    { permission },
    userRef
      ? {
          credentials: mockCredentials.user(userRef),
          info: { userEntityRef: userRef, ownershipEntityRefs: tokenClaims },
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

  it('decides on the groups the catalog has now, not on the claims of the token', async () => {
    // carol signed in as a member of team-search; the directory has since moved her to
    // team-payments, and the org provider's refresh has brought that into the catalog.
    const afterTheMove = policyOver([userEntity('carol', 'team-payments')]);
    const claims = ['user:default/carol', 'group:default/team-search'];
    const before = await ask(
      ecsDeployPromotePermission,
      'user:default/carol',
      claims,
    );
    const after = await ask(
      ecsDeployPromotePermission,
      'user:default/carol',
      claims,
      afterTheMove,
    );
    expect(resolve(before)).toBe(AuthorizeResult.DENY);
    expect(resolve(after)).toBe(AuthorizeResult.ALLOW);
  });

  it('keeps the token’s claims for a user the catalog does not know (a local guest identity)', async () => {
    const claims = ['user:default/loader', 'group:default/team-payments'];
    expect(
      resolve(
        await ask(ecsDeployPromotePermission, 'user:default/loader', claims),
      ),
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      resolve(await ask(ecsDeployPromotePermission, 'user:default/loader')),
    ).toBe(AuthorizeResult.DENY);
  });

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
