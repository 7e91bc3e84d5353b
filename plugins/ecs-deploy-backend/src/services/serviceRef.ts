import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../config';

/** The ECS service `serviceName` of an environment. */
export function ecsServiceRef(
  env: EnvironmentConfig,
  serviceName: string,
): EcsServiceRef {
  return {
    environment: env.name,
    accountId: env.accountId,
    region: env.region,
    cluster: env.cluster,
    serviceName,
  };
}

/** One string per ECS service, whatever entity or environment name points at it (lock keys). */
export function serviceKey(ref: EcsServiceRef): string {
  return `${ref.accountId ?? 'main'}|${ref.region}|${ref.cluster}|${
    ref.serviceName
  }`;
}

/** `payments-api in prod (cluster demo-prod)`, for messages. */
export function describeService(ref: EcsServiceRef): string {
  return `${ref.serviceName} in ${ref.environment} (cluster ${ref.cluster})`;
}
