/*
 * What the portal suggests for an unclaimed ECS service: an owner from the tags a company already
 * uses, and a catalog name that follows the naming rules. Pure.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { serviceNameProblem } from '@deployment-portal/plugin-ecs-deploy-common';
import type { OnboardingConfig } from '../../config';

/**
 * The group the service's tags point at, before checking that the catalog has it: the first of
 * the configured keys present, through the value → group table, else `group:default/<value>`.
 */
export function ownerCandidate(
  tags: Record<string, string>,
  settings: OnboardingConfig,
): string | undefined {
  const key = settings.ownerTagKeys.find(k => tags[k]?.trim());
  if (!key) {
    return undefined;
  }
  const value = tags[key].trim();
  const mapped = settings.ownerTagGroups[value];
  if (mapped) {
    return mapped;
  }
  const name = value.toLocaleLowerCase('en-US').replace(/[^a-z0-9._-]+/g, '-');
  return name ? `group:default/${name}` : undefined;
}

/**
 * A catalog name for the service: its ECS name without an environment prefix or suffix
 * (`payments-api-prod`, `prod-payments-api`), lowercased, other characters turned into hyphens,
 * cut to the 32 characters the rules allow. `svc-<name>` when that still breaks a rule.
 */
export function suggestName(
  serviceName: string,
  environments: string[],
): string {
  let name = serviceName
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-');
  for (const env of environments) {
    if (name.endsWith(`-${env}`)) name = name.slice(0, -env.length - 1);
    if (name.startsWith(`${env}-`)) name = name.slice(env.length + 1);
  }
  name = name
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  if (!serviceNameProblem(name)) {
    return name;
  }
  const prefixed = `svc-${name.replace(/^[^a-z]+/, '')}`
    .slice(0, 32)
    .replace(/-+$/, '');
  return serviceNameProblem(prefixed) ? 'svc-unnamed' : prefixed;
}

/** `value` as a full entity ref (default kind `defaultKind`), or undefined when it is none. */
export function normalRef(value: string, defaultKind: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}
