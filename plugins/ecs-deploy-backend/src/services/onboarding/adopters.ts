/*
 * Who may adopt an unclaimed ECS service: a member of the group its tags suggest, as the catalog
 * has the membership (the user entity's memberOf relations), or a member of an admin group.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The caller's groups in the catalog and whether they make the caller an adopter of `groups`. */
export interface AdopterDecision {
  allowed: boolean;
  admin: boolean;
  memberOf: string[];
}

/** Decides whether `userEntityRef` may adopt a service suggested for each of `groups`. */
export async function decideAdopter(
  options: {
    catalog: CatalogService;
    auth: AuthService;
    adminGroups: string[];
  },
  userEntityRef: string,
  groups: string[],
): Promise<AdopterDecision> {
  const { catalog, auth, adminGroups } = options;
  // Read as the plugin: the membership is the catalog's, whatever the caller may read.
  const user = await catalog.getEntityByRef(userEntityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });
  const memberOf = (user?.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => lower(r.targetRef));
  const admin = memberOf.some(g => adminGroups.includes(g));
  const member =
    groups.length > 0 && groups.every(g => memberOf.includes(lower(g)));
  return { allowed: admin || member, admin, memberOf };
}
