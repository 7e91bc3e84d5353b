/*
 * Who may claim what: a new service's name must be free (no entity, no ECS service in any
 * environment, no earlier local publish), and its owner must be an existing Group the caller
 * belongs to (admins: any group). Read-only: nothing here writes.
 */
import {
  AuthService,
  BackstageCredentials,
  resolveSafeChildPath,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import fs from 'node:fs/promises';
import { refusal } from './errors';
import { ServiceNameChecker } from './serviceNames';

/** The claims of a new service (the name is free, the owner may be named). @public */
export interface ServiceClaims {
  /** Throws `ConflictError` when something already holds the name. */
  assertNameFree(name: string): Promise<void>;
  /** Throws `InputError` unless `owner` is a Group the caller may create services for. */
  assertOwner(owner: string, credentials: BackstageCredentials): Promise<void>;
}

/** Options of {@link createServiceClaims}. */
export interface ServiceClaimsOptions {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  auth: Pick<AuthService, 'isPrincipal'>;
  userInfo: UserInfoService;
  names: ServiceNameChecker;
  /** Where ecs-deploy:publish-local puts repositories (`<dir>/<name>`). */
  localPublishDir: string;
  /** Members of these groups may name any existing group as owner. */
  adminGroups: readonly string[];
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The default {@link ServiceClaims}. */
export function createServiceClaims(
  options: ServiceClaimsOptions,
): ServiceClaims {
  const { catalog, auth, userInfo, names, localPublishDir } = options;
  const adminGroups = options.adminGroups.map(lower);
  const invalidOwner = (owner: string, reason: string) =>
    refusal(new InputError(`Invalid owner "${owner}": ${reason}`));

  return {
    async assertNameFree(name) {
      const published = resolveSafeChildPath(localPublishDir, name);
      if (
        await fs.stat(published).then(
          () => true,
          () => false,
        )
      ) {
        throw refusal(
          new ConflictError(
            `Invalid name "${name}": an earlier local publish holds it (${published})`,
          ),
        );
      }
      const check = await names.check(name);
      if (!check.available) {
        const reasons = check.conflicts.map(c => c.message);
        const Err = check.conflicts.every(c => c.code === 'invalid-name')
          ? InputError
          : ConflictError;
        throw refusal(
          new Err(
            `Invalid name "${name}": ${
              reasons.length > 0 ? reasons.join('; ') : 'is not available'
            }`,
          ),
        );
      }
    },

    async assertOwner(owner, credentials) {
      const group = await catalog.getEntityByRef(owner, { credentials });
      if (!group || group.kind.toLocaleLowerCase('en-US') !== 'group') {
        throw invalidOwner(owner, 'no such group in the catalog');
      }
      if (!auth.isPrincipal(credentials, 'user')) {
        throw invalidOwner(
          owner,
          'only a signed-in user can create a service for a group',
        );
      }
      const { userEntityRef, ownershipEntityRefs } = await userInfo.getUserInfo(
        credentials,
      );
      const refs = ownershipEntityRefs.map(lower);
      if (
        refs.includes(lower(owner)) ||
        refs.some(ref => adminGroups.includes(ref))
      ) {
        return;
      }
      const groups = ownershipEntityRefs.filter(r => r.startsWith('group:'));
      throw invalidOwner(
        owner,
        `${userEntityRef} is not a member (member of ${
          groups.length > 0 ? groups.join(', ') : 'no group'
        }); a member or an admin must create it`,
      );
    },
  };
}
