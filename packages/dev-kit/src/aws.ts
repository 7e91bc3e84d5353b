import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

/** The emulator's region and account, as app-config.yaml and the Terraform demo use them. */
export const TEST_REGION = 'us-east-1';
export const TEST_ACCOUNT = '123456789012';
/** The emulator accepts any key; these are the main account's. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
};

type ClientConfig = {
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity;
  retryMode: string;
  maxAttempts: number;
};

/**
 * A client factory: the main account's credentials unless others (an assumed role's) are given.
 * The emulator throttles ECS at ECS's documented rates, so seeding a few services at once meets
 * ThrottlingException as a real account would: the clients retry as the SDK's adaptive mode does
 * (client-side rate limiting, back-off), with more attempts than the default three.
 */
const clientFor =
  <C>(Client: new (config: ClientConfig) => C) =>
  (
    endpoint: string,
    region = TEST_REGION,
    credentials: AwsCredentialIdentity = TEST_CREDENTIALS,
  ): C =>
    new Client({
      endpoint,
      region,
      credentials,
      retryMode: 'adaptive',
      maxAttempts: 8,
    });

export const ecsClient = clientFor(ECSClient);
export const ssmClient = clientFor(SSMClient);
export const logsClient = clientFor(CloudWatchLogsClient);
export const cloudWatchClient = clientFor(CloudWatchClient);
export const iamClient = clientFor(IAMClient);
export const sqsClient = clientFor(SQSClient);
export const elbClient = clientFor(ElasticLoadBalancingV2Client);
export const eventBridgeClient = clientFor(EventBridgeClient);
export const autoscalingClient = clientFor(ApplicationAutoScalingClient);
export const stsClient = clientFor(STSClient);

/** The account `credentials` act in (the emulator's MOTO_ACCOUNT_ID, or an assumed role's). */
export async function accountOf(
  endpoint: string,
  region: string = TEST_REGION,
  credentials?: AwsCredentialIdentity,
): Promise<string> {
  const sts = stsClient(endpoint, region, credentials);
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  return Account ?? TEST_ACCOUNT;
}

/**
 * Credentials of `roleArn` assumed from the main account (the emulator maps them to the role's
 * account, as AWS does), for clients that act in another account.
 */
export async function assumeRoleCredentials({
  endpoint,
  roleArn,
  externalId,
  sessionName = 'dev-kit',
  region = TEST_REGION,
}: {
  endpoint: string;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  region?: string;
}): Promise<AwsCredentialIdentity> {
  const { Credentials: c } = await stsClient(endpoint, region).send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      ExternalId: externalId,
      RoleSessionName: sessionName,
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
}

/**
 * Credentials of `accountId`'s administrator: the emulator's OrganizationAccountAccessRole, which
 * trusts the main account, as AWS Organizations creates it in a member account. To create what
 * exists in that account before the portal (its services, roles, parameters).
 */
export function accountAdminCredentials(
  endpoint: string,
  accountId: string,
  region: string = TEST_REGION,
): Promise<AwsCredentialIdentity> {
  return assumeRoleCredentials({
    endpoint,
    region,
    roleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
  });
}

/**
 * In `accountId`, as its administrator (the emulator's OrganizationAccountAccessRole, which trusts
 * the main account), creates `roleName` trusting the main account with `externalId`, as
 * terraform-modules/portal-access does. Returns the administrator's credentials, to create the
 * account's resources with.
 */
export async function createTrustedRole({
  endpoint,
  accountId,
  roleName,
  externalId,
  region = TEST_REGION,
}: {
  endpoint: string;
  accountId: string;
  roleName: string;
  externalId: string;
  region?: string;
}): Promise<AwsCredentialIdentity> {
  const admin = await accountAdminCredentials(endpoint, accountId, region);
  await iamClient(endpoint, region, admin).send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': externalId } },
          },
        ],
      }),
    }),
  );
  return admin;
}
