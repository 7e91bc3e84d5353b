/*
 * Decisions on promotion targets (resource type `ecs-deploy-target`): the policy is asked once per
 * permission (`authorizeConditional`), and a conditional answer is applied here, with the rules
 * of `@deployment-portal/plugin-ecs-deploy-node`, to the target as the catalog has it now (its
 * owners' members read at decision time). The same targets answer the permission backend's
 * conditions for resource refs (`<entity ref>@<environment>`, e.g. a frontend's usePermission).
 */
import type {
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  parseEcsDeployTargetRef,
  RESOURCE_TYPE_ECS_DEPLOY_TARGET,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployTarget } from '@deployment-portal/plugin-ecs-deploy-node';
import type { Caller } from '../catalog/types';
import { currentOwnerMembers, ownersOf } from '../catalog/owners';

/** A permission on promotion targets. */
export type TargetPermission = ResourcePermission<
  typeof RESOURCE_TYPE_ECS_DEPLOY_TARGET
>;

/** What a write would be, as its target's permission is decided on. */
export interface TargetQuestion {
  permission: TargetPermission;
  to: string;
  from?: string;
  approved?: boolean;
}

/** Applies a conditional decision to a target (createConditionAuthorizer over the rules). */
export type ConditionApplier = (
  decision: PolicyDecision,
  target: EcsDeployTarget | undefined,
) => boolean;

/** Asks the policy about writes to an entity's environments, as one caller. */
export class TargetPermissions {
  private readonly apply: ConditionApplier;

  constructor(
    private readonly options: {
      permissions: PermissionsService;
      catalog: CatalogService;
      auth: AuthService;
      /** The registered rules, as `permissionsRegistry.getPermissionRuleset` gives them. */
      ruleset: Parameters<typeof createConditionAuthorizer<EcsDeployTarget>>[0];
    },
  ) {
    this.apply = createConditionAuthorizer(options.ruleset);
  }

  /** Whether the caller may make each write; the catalog is read once, only when needed. */
  async decide(
    entity: Entity,
    caller: Caller,
    questions: TargetQuestion[],
  ): Promise<boolean[]> {
    if (questions.length === 0) return [];
    const permissions = [...new Set(questions.map(q => q.permission))];
    const decisions = await this.options.permissions.authorizeConditional(
      permissions.map(permission => ({ permission })),
      { credentials: caller.credentials },
    );
    const byName = new Map(
      permissions.map((p, i) => [p.name, decisions[i]] as const),
    );
    let members: Promise<string[]> | undefined;
    return Promise.all(
      questions.map(async q => {
        const decision = byName.get(q.permission.name)!;
        if (decision.result !== AuthorizeResult.CONDITIONAL) {
          return decision.result === AuthorizeResult.ALLOW;
        }
        members ??= currentOwnerMembers(
          this.options.catalog,
          this.options.auth,
          ownersOf(entity),
        );
        return this.apply(decision, {
          ...this.describe(entity, q),
          ownerMembers: await members,
        });
      }),
    );
  }

  private describe(
    entity: Entity,
    q: Omit<TargetQuestion, 'permission'>,
  ): Omit<EcsDeployTarget, 'ownerMembers'> {
    return {
      entityRef: stringifyEntityRef(entity),
      owners: ownersOf(entity),
      targetEnvironment: q.to,
      sourceEnvironment: q.from,
      approved: q.approved ?? false,
    };
  }

  /**
   * The targets of resource refs (`<entity ref>@<environment>`), for the permission backend's
   * conditions: read with the plugin's own credentials, as a direct write (not approved);
   * undefined for a ref that names no entity.
   */
  async resources(refs: string[]): Promise<Array<EcsDeployTarget | undefined>> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const parsed = refs.map(ref => {
      const target = parseEcsDeployTargetRef(ref);
      try {
        return (
          target && {
            ...target,
            entityRef: stringifyEntityRef(parseEntityRef(target.entityRef)),
          }
        );
      } catch {
        return undefined; // not an entity ref
      }
    });
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: parsed.flatMap(p => (p ? [p.entityRef] : [])),
        fields: ['kind', 'metadata', 'spec.owner', 'relations'],
      },
      { credentials },
    );
    const entities = new Map(
      items.flatMap(e => (e ? [[stringifyEntityRef(e), e] as const] : [])),
    );
    return Promise.all(
      parsed.map(async p => {
        const entity = p && entities.get(p.entityRef);
        if (!entity) return undefined;
        return {
          ...this.describe(entity, { to: p.environment }),
          ownerMembers: await currentOwnerMembers(
            catalog,
            auth,
            ownersOf(entity),
            credentials,
          ),
        };
      }),
    );
  }
}
