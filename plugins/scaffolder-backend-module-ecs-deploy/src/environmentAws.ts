/*
 * The AWS client settings for reading an environment before Terraform runs (adoption's read of the
 * existing service, the listener rule priority): its region and endpoint, and, with
 * `ecsDeploy.scaffolder.terraformRole`, the credentials of that role in the environment's account,
 * the role its roots assume. Without a role, the SDK's default chain, as Terraform's.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type {
  EcsDeployScaffolderOptions,
  ScaffolderEnvironment,
} from './config';
import { assumedRole } from './terraformRole';

/** What an SDK client of this module is constructed with for one environment. */
export interface EnvironmentClientConfig {
  region: string;
  endpoint?: string;
  credentials?: ReturnType<typeof fromTemporaryCredentials>;
}

/** Client settings for `env`, assuming the Terraform role in its account when one is configured. */
export function environmentClientConfig(
  options: Pick<EcsDeployScaffolderOptions, 'defaultRegion' | 'terraformRole'>,
  env: ScaffolderEnvironment,
): EnvironmentClientConfig {
  const region = env.region ?? options.defaultRegion;
  const role = assumedRole(options.terraformRole, env.accountId, region);
  return {
    region,
    endpoint: env.endpoint,
    credentials: role
      ? fromTemporaryCredentials({
          params: {
            RoleArn: role.roleArn,
            ExternalId: role.externalId,
            RoleSessionName: 'backstage-ecs-deploy-scaffolder',
          },
          clientConfig: { region },
        })
      : undefined,
  };
}
