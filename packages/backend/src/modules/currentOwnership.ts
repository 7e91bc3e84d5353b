/*
 * A person's ownership as the catalog has it now: their User entity and the groups it is a
 * member of (memberOf relations), so that a team change in the organisation's directory counts
 * from the org provider's next refresh on, not from their next sign-in (the claims in a
 * Backstage token are fixed for its hour). A user the catalog does not know keeps the claims of
 * their token: the local guest identities of tests and benchmarks.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

export interface OwnershipSource {
  /** The entity refs the user owns through: themselves and their groups. */
  ownershipEntityRefs(
    userEntityRef: string,
    tokenClaims: string[],
  ): Promise<string[]>;
}

const membership = (userEntityRef: string, user: Entity) => [
  userEntityRef,
  ...(user.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef),
];

export class CatalogOwnership implements OwnershipSource {
  /** One catalog read per user for the decisions of one batch (a page asks for many). */
  private readonly inFlight = new Map<string, Promise<Entity | undefined>>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownershipEntityRefs(
    userEntityRef: string,
    tokenClaims: string[],
  ): Promise<string[]> {
    const user = await this.read(userEntityRef);
    return user ? membership(userEntityRef, user) : tokenClaims;
  }

  private read(userEntityRef: string): Promise<Entity | undefined> {
    let pending = this.inFlight.get(userEntityRef);
    if (!pending) {
      pending = this.auth
        .getOwnServiceCredentials()
        .then(credentials =>
          this.catalog.getEntityByRef(userEntityRef, { credentials }),
        )
        .finally(() => this.inFlight.delete(userEntityRef));
      this.inFlight.set(userEntityRef, pending);
    }
    return pending;
  }
}
