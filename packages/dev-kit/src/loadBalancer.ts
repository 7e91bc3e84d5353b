import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_REGION, elbClient } from './aws.ts';
import { defaultNetwork } from './environment.ts';

/** An application load balancer in front of one target group, as the ecs-service module makes it. */
export interface LoadBalancer {
  targetGroupArn: string;
  loadBalancerArn: string;
  /** The default VPC's subnets the load balancer (and its service's tasks) are in. */
  subnets: string[];
  /** The CloudWatch dimensions of its AWS/ApplicationELB metrics. */
  dimensions: { Name: string; Value: string }[];
}

/**
 * An internet-facing ALB named `name` with an HTTP listener forwarding to an `ip` target group
 * on `port`, in the emulator's default VPC (of the account of `credentials`, default the main one).
 */
export async function createLoadBalancer(
  endpoint: string,
  name: string,
  options: {
    port?: number;
    region?: string;
    credentials?: AwsCredentialIdentity;
  } = {},
): Promise<LoadBalancer> {
  const { port = 8080, region = TEST_REGION, credentials } = options;
  const elb = elbClient(endpoint, region, credentials);
  const { vpcId, subnetIds: subnets } = await defaultNetwork(
    endpoint,
    region,
    credentials,
  );
  const { TargetGroups } = await elb.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`,
      Protocol: 'HTTP',
      Port: port,
      VpcId: vpcId,
      TargetType: 'ip',
      HealthCheckPath: '/health',
    }),
  );
  const { LoadBalancers } = await elb.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Subnets: subnets.slice(0, 2),
      Type: 'application',
      Scheme: 'internet-facing',
    }),
  );
  const targetGroupArn = TargetGroups![0].TargetGroupArn!;
  const loadBalancerArn = LoadBalancers![0].LoadBalancerArn!;
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  return {
    targetGroupArn,
    loadBalancerArn,
    subnets,
    dimensions: [
      { Name: 'TargetGroup', Value: targetGroupArn.split(':').pop()! },
      {
        Name: 'LoadBalancer',
        Value: loadBalancerArn.split(':loadbalancer/').pop()!,
      },
    ],
  };
}
