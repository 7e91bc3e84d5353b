/*
 * The adopt action's input (the create template's fields that still apply to a service that
 * already runs) and its validation into the spec of the roots.
 */
import type { EcsDeployScaffolderOptions } from '../config';
import { normaliseModulesSource } from '../fields';
import { parseInput, serviceInputFields } from '../input';
import { modulesSourceForRoot, type RootSpec } from '../render';
import { assumedRole } from '../terraformRole';
import { validateEnvironments } from '../validation';

const {
  name,
  owner,
  description,
  environments,
  modulesSource,
  targetDirectory,
} = serviceInputFields;

/** The fields of ecs-deploy:adopt-service (zod-callback form). */
export const adoptInputFields = {
  name,
  owner,
  description,
  environments,
  modulesSource,
  targetDirectory,
};

/** Validates the input; `InputError` naming the field and the bad value otherwise. */
export function toAdoptionSpec(
  raw: unknown,
  options: EcsDeployScaffolderOptions,
): RootSpec {
  const input = parseInput(adoptInputFields, raw);
  const known = options.environments.map(e => e.name);
  const selected = validateEnvironments(input.environments, known);
  const directory = input.targetDirectory ?? '';
  const configured = (env: string) =>
    options.environments.find(e => e.name === env);
  const regions = Object.fromEntries(
    selected.map(env => [
      env,
      configured(env)?.region ?? options.defaultRegion,
    ]),
  );
  return {
    name: input.name,
    owner: input.owner,
    description: input.description,
    environments: selected,
    regions,
    assumedRoles: Object.fromEntries(
      selected.map(env => [
        env,
        assumedRole(
          options.terraformRole,
          configured(env)?.accountId,
          regions[env],
        ),
      ]),
    ),
    modulesSource: modulesSourceForRoot(
      normaliseModulesSource(input.modulesSource ?? options.modulesSource),
      directory,
    ),
    backend: options.backend,
    targetDirectory: directory,
  };
}
