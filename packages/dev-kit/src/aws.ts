import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** The emulator's region and account, as app-config.yaml and the Terraform demo use them. */
export const TEST_REGION = 'us-east-1';
export const TEST_ACCOUNT = '123456789012';
/** The emulator accepts any key. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
};

const clientConfig = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: TEST_CREDENTIALS,
});

export const ecsClient = (endpoint: string, region = TEST_REGION) =>
  new ECSClient(clientConfig(endpoint, region));
export const ssmClient = (endpoint: string, region = TEST_REGION) =>
  new SSMClient(clientConfig(endpoint, region));
export const logsClient = (endpoint: string, region = TEST_REGION) =>
  new CloudWatchLogsClient(clientConfig(endpoint, region));
export const iamClient = (endpoint: string, region = TEST_REGION) =>
  new IAMClient(clientConfig(endpoint, region));
export const sqsClient = (endpoint: string, region = TEST_REGION) =>
  new SQSClient(clientConfig(endpoint, region));
export const eventBridgeClient = (endpoint: string, region = TEST_REGION) =>
  new EventBridgeClient(clientConfig(endpoint, region));
