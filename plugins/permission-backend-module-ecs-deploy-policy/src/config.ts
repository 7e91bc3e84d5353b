import type { Config } from '@backstage/config';

/** Who may write to an environment. @public */
export type EnvironmentPromoters = 'owners' | 'owners-with-approval' | 'admins';

const PROMOTERS: EnvironmentPromoters[] = [
  'owners',
  'owners-with-approval',
  'admins',
];

/** `ecsDeploy.permissions`, as the policy reads it. @public */
export interface EcsDeployPolicyConfig {
  /** Group refs whose members may do anything, and override a freeze window. */
  adminGroups: string[];
  /** Who may write to each listed environment; the others: `owners`. */
  environments: Record<string, EnvironmentPromoters>;
}

/**
 * Reads `ecsDeploy.permissions`. A value the policy does not know, or an environment that is not
 * in `ecsDeploy.environments`, stops the start naming the key: a typo must not open prod.
 *
 * @public
 */
export function readEcsDeployPolicyConfig(
  config: Config,
): EcsDeployPolicyConfig {
  const known = new Set(
    (config.getOptionalConfigArray('ecsDeploy.environments') ?? []).map(e =>
      e.getString('name'),
    ),
  );
  const environments: Record<string, EnvironmentPromoters> = {};
  const listed =
    config.getOptionalConfigArray('ecsDeploy.permissions.environments') ?? [];
  listed.forEach((entry, i) => {
    const key = `ecsDeploy.permissions.environments[${i}]`;
    const name = entry.getString('name');
    const promote = entry.getString('promote');
    if (known.size > 0 && !known.has(name)) {
      throw new Error(
        `${key}.name '${name}' is not an environment of ecsDeploy.environments (${[
          ...known,
        ].join(', ')})`,
      );
    }
    if (!PROMOTERS.includes(promote as EnvironmentPromoters)) {
      throw new Error(
        `${key}.promote must be one of ${PROMOTERS.join(
          ', ',
        )}, got '${promote}'`,
      );
    }
    if (name in environments) {
      throw new Error(`${key}.name '${name}' is listed twice`);
    }
    environments[name] = promote as EnvironmentPromoters;
  });
  return {
    adminGroups:
      config.getOptionalStringArray('ecsDeploy.permissions.adminGroups') ?? [],
    environments,
  };
}
