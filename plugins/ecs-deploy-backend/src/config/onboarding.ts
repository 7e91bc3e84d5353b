import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type { OnboardingConfig } from './types';

const GROUP_REF = /^group:[a-z0-9._-]+\/[a-z0-9._-]+$/i;

/**
 * `ecsDeploy.onboarding`: which existing tags of an unclaimed ECS service suggest its owner
 * (`ownerTags.keys`, first match wins; default `team`, `owner`), and which group each tag value
 * means (`ownerTags.groups`; a value not listed suggests `group:default/<value>` when that group
 * exists).
 */
export function readOnboarding(root: Section): OnboardingConfig {
  const section = root.config.getOptionalConfig('onboarding.ownerTags');
  const keys = section?.getOptionalStringArray('keys') ?? ['team', 'owner'];
  const groups: Record<string, string> = {};
  const table = section?.getOptionalConfig('groups');
  for (const value of table?.keys() ?? []) {
    const groupRef = table!.getString(value);
    if (!GROUP_REF.test(groupRef)) {
      throw new InputError(
        `${root.key(
          `onboarding.ownerTags.groups.${value}`,
        )} must be a group ref like group:default/team-payments, got '${groupRef}'`,
      );
    }
    groups[value] = groupRef.toLocaleLowerCase('en-US');
  }
  const adminGroups = (
    root.config.getOptionalStringArray('permissions.adminGroups') ?? []
  ).map(g => g.toLocaleLowerCase('en-US'));
  return { ownerTagKeys: keys, ownerTagGroups: groups, adminGroups };
}
