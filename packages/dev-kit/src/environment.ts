import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  TEST_CREDENTIALS,
  TEST_REGION,
  ecsClient,
  elbClient,
  ssmClient,
} from './aws.ts';

/**
 * The emulator's default VPC and its subnets, through EC2's query API (no EC2 client needed), in
 * the account of `credentials` (the emulator maps an assumed role's key to its account).
 */
export async function defaultNetwork(
  endpoint: string,
  region: string = TEST_REGION,
  credentials: AwsCredentialIdentity = TEST_CREDENTIALS,
): Promise<{ vpcId: string; subnetIds: string[] }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      ...(credentials.sessionToken && {
        'x-amz-security-token': credentials.sessionToken,
      }),
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const xml = await res.text();
  const subnetIds = [
    ...xml.matchAll(/<subnetId>(subnet-\w+)<\/subnetId>/g),
  ].map(m => m[1]);
  const vpcId = /<vpcId>(vpc-\w+)<\/vpcId>/.exec(xml)?.[1];
  if (!vpcId || subnetIds.length === 0)
    throw new Error(`no default subnet in ${endpoint}: ${xml.slice(0, 300)}`);
  return { vpcId, subnetIds };
}

/**
 * Creates in the emulator what terraform-modules/ecs-environment publishes for the service roots
 * the template renders (found through ecs-environment-ref): the cluster and the environment's
 * document /ecs-deploy/environments/<env>, on a subnet of the default VPC. With `alb`, also the
 * shared load balancer and its HTTP listener (default action: a fixed 404), as ecs-environment's
 * `alb = {}` makes them; the document then names the listener. Much faster than applying the demo
 * composition. Returns the listener's ARN, if any.
 */
export async function seedEnvironment(
  endpoint: string,
  env: string,
  {
    cluster: clusterName = `test-${env}`,
    region = TEST_REGION,
    alb = false,
    credentials,
  }: {
    cluster?: string;
    region?: string;
    alb?: boolean;
    /** Another account's (an assumed role's); default the main account's. */
    credentials?: AwsCredentialIdentity;
  } = {},
): Promise<{ listenerArn?: string }> {
  const { vpcId, subnetIds } = await defaultNetwork(
    endpoint,
    region,
    credentials,
  );
  const [subnetId] = subnetIds;
  const { cluster } = await ecsClient(endpoint, region, credentials).send(
    new CreateClusterCommand({ clusterName }),
  );
  const listenerArn = alb
    ? await createSharedListener(
        endpoint,
        region,
        `${clusterName}-alb`,
        subnetIds,
        credentials,
      )
    : undefined;
  await ssmClient(endpoint, region, credentials).send(
    new PutParameterCommand({
      Name: `/ecs-deploy/environments/${env}`,
      Type: 'String',
      Overwrite: true,
      Value: JSON.stringify({
        name: env,
        region,
        cluster_name: clusterName,
        cluster_arn: cluster!.clusterArn,
        vpc_id: vpcId,
        subnet_ids: [subnetId],
        security_group_ids: [],
        ...(listenerArn ? { listener_arn: listenerArn } : {}),
        log_retention_in_days: 7,
      }),
    }),
  );
  return { listenerArn };
}

async function createSharedListener(
  endpoint: string,
  region: string,
  name: string,
  subnetIds: string[],
  credentials?: AwsCredentialIdentity,
): Promise<string> {
  const elb = elbClient(endpoint, region, credentials);
  const { LoadBalancers } = await elb.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Subnets: subnetIds.slice(0, 2),
      Type: 'application',
      Scheme: 'internal',
    }),
  );
  const { Listeners } = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: LoadBalancers![0].LoadBalancerArn!,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' },
        },
      ],
    }),
  );
  return Listeners![0].ListenerArn!;
}
