/*
 * The local accounts every portal started on the emulator uses (app-config.yaml): staging in
 * 111111111111 and prod in 222222222222, each reached from the main account (123456789012, the
 * emulator's test keys) through the roles terraform-modules/portal-access creates there, as
 * scripts/demo-aws.sh applies them (examples/demo/access).
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  TEST_CREDENTIALS,
  TEST_REGION,
  assumeRoleCredentials,
  createTrustedRole,
} from './aws.ts';

/** Each environment's account, as app-config.yaml and scripts/demo-aws.sh have them. */
export const LOCAL_ACCOUNTS = {
  staging: '111111111111',
  prod: '222222222222',
} as const;

export type LocalEnvironment = keyof typeof LOCAL_ACCOUNTS;

/** The role the portal assumes in each account (app-config.yaml's aws.accounts). */
export const PORTAL_ROLE = {
  roleName: 'backstage-ecs-deploy',
  externalId: 'ecs-deploy-local',
};

/** The role the generated Terraform roots assume (ecsDeploy.scaffolder.terraformRole). */
export const TERRAFORM_ROLE = {
  roleName: 'ecs-deploy-terraform',
  externalId: 'ecs-deploy-terraform-local',
};

/**
 * What a backend started on the emulator needs in its environment for app-config.yaml's
 * accounts: the main account's keys (the SDK's credential chain; app-config.yaml names none, so
 * that production never inherits them) and the emulator as STS endpoint, where the roles are
 * assumed (@backstage/integration-aws-node has no STS endpoint setting).
 */
export function localAwsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_STS: endpoint,
  };
}

/**
 * Creates, in a fresh emulator, the portal role and the Terraform role of each local account,
 * trusting the main account with their external IDs (what examples/demo/access creates, without
 * Terraform). Returns each account's administrator credentials, to seed its resources with.
 */
export async function createLocalAccounts(
  endpoint: string,
  region: string = TEST_REGION,
): Promise<Record<LocalEnvironment, AwsCredentialIdentity>> {
  const admins = {} as Record<LocalEnvironment, AwsCredentialIdentity>;
  for (const env of Object.keys(LOCAL_ACCOUNTS) as LocalEnvironment[]) {
    for (const role of [PORTAL_ROLE, TERRAFORM_ROLE]) {
      admins[env] = await createTrustedRole({
        endpoint,
        region,
        accountId: LOCAL_ACCOUNTS[env],
        ...role,
      });
    }
  }
  return admins;
}

/** Credentials of the portal role in an environment's account, as the backend assumes it. */
export function portalCredentials(
  endpoint: string,
  env: LocalEnvironment,
): Promise<AwsCredentialIdentity> {
  return assumeRoleCredentials({
    endpoint,
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNTS[env]}:role/${PORTAL_ROLE.roleName}`,
    externalId: PORTAL_ROLE.externalId,
  });
}
