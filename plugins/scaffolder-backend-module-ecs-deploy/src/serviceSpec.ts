/*
 * From the actions' raw input to a validated ServiceSpec: the per-field zod schemas (input.ts),
 * then the rules across fields and the configuration (validation.ts). check-service and
 * render-service both call it, so a template is checked once with exactly the rules it renders by.
 * The actions have no defaults of their own for what the template asks: the template passes every
 * value, completed by ecs-deploy:form-defaults from its parameter schema, the one place they live.
 */
import { EcsDeployScaffolderOptions } from './config';
import { normaliseModulesSource } from './fields';
import { parseInput, serviceInputFields } from './input';
import { modulesSourceForRoot, ServiceSpec } from './render';
import { assumedRole } from './terraformRole';
import {
  fail,
  validateAutoscaling,
  validateCpuMemory,
  validateEnvironments,
  validatePerEnvironmentKeys,
  validateStrategy,
} from './validation';

/**
 * Validates a service's input and turns it into a {@link ServiceSpec}. Throws `InputError` naming
 * the field and the bad value.
 */
export function toServiceSpec(
  raw: unknown,
  options: EcsDeployScaffolderOptions,
): ServiceSpec {
  const input = parseInput(serviceInputFields, raw);
  const known = options.environments.map(e => e.name);
  const { name } = input;
  // Configured values were checked at start-up (config.ts).
  const image =
    input.image ??
    options.initialImage ??
    `${input.imageRepository ?? options.imageRepository}/${name}:initial`;
  const { cpu, memory } = validateCpuMemory(input.cpu, input.memory);
  const environments = validateEnvironments(input.environments, known);

  const counts = validatePerEnvironmentKeys(
    input.desiredCounts,
    known,
    environments,
    'desiredCounts',
  );
  const scaling = validatePerEnvironmentKeys(
    input.autoscaling,
    known,
    environments,
    'autoscaling',
  );
  const chosen = validatePerEnvironmentKeys(
    input.strategies,
    known,
    environments,
    'strategies',
  );
  const strategies: ServiceSpec['strategies'] = {};
  const desiredCounts: Record<string, number> = {};
  const autoscaling: ServiceSpec['autoscaling'] = {};
  const regions: Record<string, string> = {};
  const assumedRoles: ServiceSpec['assumedRoles'] = {};
  for (const env of environments) {
    if (counts[env] === undefined) {
      fail(
        `desiredCounts.${env}`,
        undefined,
        'is required for each selected environment',
      );
    }
    desiredCounts[env] = counts[env];
    if (scaling[env] !== undefined) {
      autoscaling[env] = validateAutoscaling(
        scaling[env],
        `autoscaling.${env}`,
      );
    }
    strategies[env] = validateStrategy(chosen[env], `strategies.${env}`);
    regions[env] =
      input.awsRegion ??
      options.environments.find(e => e.name === env)?.region ??
      options.defaultRegion;
    assumedRoles[env] = assumedRole(
      options.terraformRole,
      options.environments.find(e => e.name === env)?.accountId,
      regions[env],
    );
  }

  const targetDirectory = input.targetDirectory ?? '';
  return {
    name,
    owner: input.owner,
    description: input.description,
    image,
    port: input.port,
    cpu,
    memory,
    healthCheckPath: input.healthCheckPath,
    environments,
    desiredCounts,
    autoscaling,
    strategies,
    regions,
    assumedRoles,
    modulesSource: modulesSourceForRoot(
      normaliseModulesSource(input.modulesSource ?? options.modulesSource),
      targetDirectory,
    ),
    backend: options.backend,
    targetDirectory,
  };
}
