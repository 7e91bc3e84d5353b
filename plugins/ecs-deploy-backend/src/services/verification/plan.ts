/*
 * What a verification checks, resolved once when it starts: the environment's settings with the
 * entity's annotations over them, the service's alarms (the module's and its deployment alarms),
 * the HTTP check's URL, and its target group's metric dimensions.
 */
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';
import type { Entity } from '@backstage/catalog-model';
import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig, VerificationSettings } from '../../config';
import type { AwsClients } from '../aws/AwsClients';
import { discoverAlarms } from './checks/alarms';
import { renderUrl } from './checks/http';
import { AnnotationError, entitySettings } from './entitySettings';
import type { TargetGroupDimensions, VerificationPlan } from './types';

export type ResolvedPlan =
  | { plan: VerificationPlan }
  /** Nothing to verify (turned off, or no check applies). */
  | { skipped: string }
  /** A setting is wrong (an annotation): a person decides. */
  | { problem: string };

/** `targetgroup/<name>/<id>` and `app/<name>/<id>`: a target group's metric dimensions. */
async function dimensionsOf(
  clients: AwsClients,
  env: EnvironmentConfig,
  targetGroupArn: string,
  signal?: AbortSignal,
): Promise<TargetGroupDimensions | undefined> {
  const elb = await clients.elbv2(env);
  const { TargetGroups = [] } = await elb.send(
    new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }),
    { abortSignal: signal },
  );
  const loadBalancer = TargetGroups[0]?.LoadBalancerArns?.[0];
  if (!loadBalancer) return undefined;
  return {
    TargetGroup: targetGroupArn.split(':').pop()!,
    LoadBalancer: loadBalancer.split(':loadbalancer/').pop()!,
  };
}

/** Resolves what to check for one verification. */
export async function resolvePlan(options: {
  settings: VerificationSettings;
  entity?: Entity;
  env: EnvironmentConfig;
  target: EcsServiceRef;
  /** The ECS service as DescribeServices has it (alarms, load balancers). */
  service?: Service;
  clients: AwsClients;
  signal?: AbortSignal;
}): Promise<ResolvedPlan> {
  const { env, target, service, clients, signal } = options;
  let settings = options.settings;
  try {
    if (options.entity) {
      settings = entitySettings(settings, options.entity, env.name);
    }
  } catch (error) {
    if (error instanceof AnnotationError) return { problem: error.message };
    throw error;
  }
  if (!settings.enabled) {
    return { skipped: `Verification is turned off for ${env.name}` };
  }
  const plan: VerificationPlan = {
    windowMs: settings.windowMs,
    intervalMs: settings.intervalMs,
    inconclusiveLimit: settings.inconclusiveLimit,
  };
  if (settings.alarms.enabled) {
    const deployment = service?.deploymentConfiguration?.alarms;
    const found = await discoverAlarms(
      await clients.cloudwatch(env),
      `${target.serviceName}-${env.name}-`,
      deployment?.enable ? deployment.alarmNames ?? [] : [],
      signal,
    );
    const names = [...new Set([...found, ...settings.alarms.names])];
    if (names.length > 0) {
      plan.alarms = { names };
    }
  }
  if (settings.http) {
    const { urlTemplate, ...http } = settings.http;
    plan.http = { ...http, url: renderUrl(urlTemplate, target) };
  }
  const { metrics } = settings;
  const targetGroup = service?.loadBalancers?.find(
    lb => lb.targetGroupArn,
  )?.targetGroupArn;
  if (
    metrics.enabled &&
    targetGroup &&
    (metrics.maxErrorRatePercent !== undefined ||
      metrics.maxLatencyP95Ms !== undefined)
  ) {
    const dimensions = await dimensionsOf(clients, env, targetGroup, signal);
    if (dimensions) {
      plan.metrics = {
        dimensions,
        maxErrorRatePercent: metrics.maxErrorRatePercent,
        maxLatencyP95Ms: metrics.maxLatencyP95Ms,
        minRequests: metrics.minRequests,
      };
    }
  }
  if (!plan.alarms && !plan.http && !plan.metrics) {
    return {
      skipped: `Nothing to check in ${env.name}: no CloudWatch alarm of ${target.serviceName}, no HTTP check configured, no load balancer to analyse`,
    };
  }
  return { plan };
}
