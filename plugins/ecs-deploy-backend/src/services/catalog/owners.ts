/*
 * An entity's owners and who they are now: the people a notification goes to, and the users a
 * promotion target's permission counts as owners.
 */
import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** The entity's owners: its ownedBy relations, else its spec.owner. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  const owner = entity.spec?.owner;
  if (related.length > 0 || typeof owner !== 'string') return related;
  return [
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  ];
}

/**
 * The users who own `owners` as the catalog has them now: owners that are users, and the direct
 * members (hasMember relations) of owners that are groups. Read with the plugin's own credentials
 * at every call: a team change in the directory counts from the org provider's next refresh on.
 */
export async function currentOwnerMembers(
  catalog: CatalogService,
  auth: AuthService,
  owners: string[],
  credentials?: BackstageCredentials,
): Promise<string[]> {
  const users = owners.filter(ref => parseEntityRef(ref).kind === 'user');
  const groups = owners.filter(ref => parseEntityRef(ref).kind === 'group');
  if (groups.length === 0) return users;
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: groups, fields: ['kind', 'metadata.name', 'relations'] },
    { credentials: credentials ?? (await auth.getOwnServiceCredentials()) },
  );
  const members = items.flatMap(group =>
    (group?.relations ?? [])
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => r.targetRef),
  );
  return [...new Set([...users, ...members])];
}
