// Shared by the emulator's verification and strategy tests: SDK clients of other services, the
// default VPC's subnets, and an application load balancer with a target group in front of a service.
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { createLoadBalancer as createDevKitLoadBalancer } from '@internal/dev-kit';
import { REGION, unique } from './helpers.mjs';

/** A client of `Client` for the emulator of `ctx`, with the main account's test keys. */
export const client = (ctx, Client, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) =>
  new Client({ endpoint: ctx.emulator.endpoint, region: REGION, credentials });

/** An internet-facing ALB with an HTTP listener forwarding to an `ip` target group on port 3000. */
export async function createLoadBalancer(ctx) {
  const lb = await createDevKitLoadBalancer(ctx.emulator.endpoint, unique('alb'), { port: 3000, region: REGION });
  return { elbv2: client(ctx, ElasticLoadBalancingV2Client), ...lb };
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

/** An alarm on the load balancer's target 5xx count (Sum > 0 in any of the periods), missing data not breaching. */
export async function create5xxAlarm(ctx, lb, EvaluationPeriods = 1) {
  const alarm = unique('5xx');
  await client(ctx, CloudWatchClient).send(new PutMetricAlarmCommand({
    AlarmName: alarm, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: lb.dimensions,
    Statistic: 'Sum', Period: 60, EvaluationPeriods, DatapointsToAlarm: 1, Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  return alarm;
}

/** GET /_emulator/http/<account>/<region>/<cluster>/<service>/<path>: status, body, milliseconds. */
export async function serviceRequest(ctx, cluster, service, path = 'api/items', account = '123456789012') {
  const started = performance.now();
  const res = await fetch(`${ctx.emulator.endpoint}/_emulator/http/${account}/${REGION}/${cluster}/${service}/${path}`);
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}
