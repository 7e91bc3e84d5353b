// Shared by the emulator's verification and strategy tests: SDK clients of other services, the
// default VPC's subnets, and an application load balancer with a target group in front of a service.
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import { REGION, unique } from './helpers.mjs';

/** A client of `Client` for the emulator of `ctx`, with the main account's test keys. */
export const client = (ctx, Client, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) =>
  new Client({ endpoint: ctx.emulator.endpoint, region: REGION, credentials });

/** The default VPC and its subnets, through EC2's query API (no EC2 client needed). */
export async function defaultNetwork(endpoint) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const xml = await res.text();
  const subnets = [...xml.matchAll(/<subnetId>(subnet-\w+)<\/subnetId>/g)].map(m => m[1]);
  const vpcId = /<vpcId>(vpc-\w+)<\/vpcId>/.exec(xml)?.[1];
  if (!vpcId || subnets.length < 2) throw new Error(`no default VPC in ${endpoint}: ${xml.slice(0, 300)}`);
  return { vpcId, subnets };
}

/** An internet-facing ALB with an HTTP listener forwarding to an `ip` target group on port 3000. */
export async function createLoadBalancer(ctx) {
  const elbv2 = client(ctx, ElasticLoadBalancingV2Client);
  const { vpcId, subnets } = await defaultNetwork(ctx.emulator.endpoint);
  const name = unique('alb');
  const { TargetGroups: [targetGroup] } = await elbv2.send(new CreateTargetGroupCommand({
    Name: `${name}-tg`, Protocol: 'HTTP', Port: 3000, VpcId: vpcId, TargetType: 'ip', HealthCheckPath: '/health',
  }));
  const { LoadBalancers: [loadBalancer] } = await elbv2.send(new CreateLoadBalancerCommand({
    Name: name, Subnets: subnets.slice(0, 2), Type: 'application', Scheme: 'internet-facing',
  }));
  await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: loadBalancer.LoadBalancerArn, Protocol: 'HTTP', Port: 80,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroup.TargetGroupArn }],
  }));
  return {
    elbv2,
    subnets,
    targetGroupArn: targetGroup.TargetGroupArn,
    loadBalancerArn: loadBalancer.LoadBalancerArn,
    // The CloudWatch dimensions of AWS/ApplicationELB metrics.
    dimensions: [
      { Name: 'TargetGroup', Value: targetGroup.TargetGroupArn.split(':').pop() },
      { Name: 'LoadBalancer', Value: loadBalancer.LoadBalancerArn.split(':loadbalancer/').pop() },
    ],
  };
}

/** A Fargate service in the load balancer's subnets, registered with its target group. */
export async function createLoadBalancedService(ctx, { cluster, taskDefinition, lb, desiredCount = 2, deploymentConfiguration }) {
  const { service } = await ctx.ecs.send(new CreateServiceCommand({
    cluster,
    serviceName: unique('web'),
    taskDefinition,
    desiredCount,
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: lb.subnets, assignPublicIp: 'DISABLED' } },
    loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: 'api', containerPort: 3000 }],
    ...(deploymentConfiguration && { deploymentConfiguration }),
  }));
  return service.serviceName;
}

/** GET /_emulator/http/<account>/<region>/<cluster>/<service>/<path>: status, body, milliseconds. */
export async function serviceRequest(ctx, cluster, service, path = 'api/items', account = '123456789012') {
  const started = performance.now();
  const res = await fetch(`${ctx.emulator.endpoint}/_emulator/http/${account}/${REGION}/${cluster}/${service}/${path}`);
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}
