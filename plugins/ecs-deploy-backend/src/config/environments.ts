import { InputError } from '@backstage/errors';
import { environmentNameProblem } from '@deployment-portal/plugin-ecs-deploy-common';
import { Section } from './durations';
import type { EnvironmentConfig, OwnershipMapping } from './types';

const ENTITY_REF =
  /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;

/** `ecsDeploy.environments`: at least one, unique names. */
export function readEnvironments(root: Section): EnvironmentConfig[] {
  const environments = root.config
    .getConfigArray('environments')
    .map((env, i) => {
      const name = env.getString('name');
      const problem = environmentNameProblem(name);
      if (problem) {
        throw new InputError(
          `${root.key(`environments[${i}].name`)} '${name}' ${problem}`,
        );
      }
      const region = env.getString('region');
      return {
        name,
        title: env.getOptionalString('title') ?? name,
        region,
        cluster: env.getString('cluster'),
        accountId: env.getOptionalString('accountId'),
        endpoint: env.getOptionalString('endpoint') || undefined,
        consoleBaseUrl:
          env.getOptionalString('consoleBaseUrl') ??
          `https://${region}.console.aws.amazon.com`,
        logLinks: (env.getOptionalConfigArray('logLinks') ?? []).map(l => ({
          title: l.getString('title'),
          urlTemplate: l.getString('urlTemplate'),
        })),
      };
    });
  if (environments.length === 0) {
    throw new InputError(
      `${root.key('environments')} must list at least one environment`,
    );
  }
  if (new Set(environments.map(e => e.name)).size !== environments.length) {
    throw new InputError(`${root.key('environments')} has duplicate names`);
  }
  return environments;
}

/** Checks that a value names a configured environment. */
export function environmentChecker(environments: EnvironmentConfig[]) {
  const names = environments.map(e => e.name);
  return (value: string, key: string) => {
    if (!names.includes(value)) {
      throw new InputError(
        `${key} names unknown environment '${value}'; known: ${names.join(
          ', ',
        )}`,
      );
    }
    return value;
  };
}

/** `ecsDeploy.ownership.mappings`. */
export function readOwnershipMappings(
  root: Section,
  known: ReturnType<typeof environmentChecker>,
): OwnershipMapping[] {
  return (root.config.getOptionalConfigArray('ownership.mappings') ?? []).map(
    (m, i) => {
      const key = root.key(`ownership.mappings[${i}]`);
      const entityRef = m.getString('entity');
      if (!ENTITY_REF.test(entityRef)) {
        throw new InputError(
          `${key}.entity must be a full entity ref like component:default/payments-api, got '${entityRef}'`,
        );
      }
      return {
        entityRef: entityRef.toLocaleLowerCase('en-US'),
        environment: known(m.getString('environment'), `${key}.environment`),
        serviceName: m.getString('service'),
      };
    },
  );
}
