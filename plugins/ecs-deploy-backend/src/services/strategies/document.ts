/*
 * The service's deployment strategy as the ecs-service module writes it (SSM parameter
 * `/ecs-deploy/<environment>/<name>/deployment-strategy`, JSON: fragments of ECS's UpdateService
 * input), and the UpdateService fields the portal sends from it. Pure functions.
 */
import type {
  DeploymentConfiguration,
  LoadBalancer,
} from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { portalHooks } from './hooks';

/** ECS's defaults (API reference: CanaryConfiguration, LinearConfiguration). */
const CANARY_BAKE_DEFAULT = 10;
const LINEAR_BAKE_DEFAULT = 6;

const minutes = z.number().int().min(0).max(1440);

const strategyDocumentSchema = z.object({
  version: z.literal(1),
  type: z.string(),
  deploymentConfiguration: z
    .object({
      strategy: z.enum(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY']),
      bakeTimeInMinutes: minutes.optional(),
      canaryConfiguration: z
        .object({
          canaryPercent: z.number().min(0.1).max(100).optional(),
          canaryBakeTimeInMinutes: minutes.optional(),
        })
        .strict()
        .optional(),
      linearConfiguration: z
        .object({
          stepPercent: z.number().min(3).max(100).optional(),
          stepBakeTimeInMinutes: minutes.optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  loadBalancers: z
    .array(
      z.object({
        targetGroupArn: z.string(),
        containerName: z.string(),
        containerPort: z.number().int(),
        advancedConfiguration: z
          .object({
            alternateTargetGroupArn: z.string(),
            productionListenerRule: z.string().optional(),
            testListenerRule: z.string().optional(),
            roleArn: z.string(),
          })
          .optional(),
      }),
    )
    .default([]),
});

/** The parameter's content. */
export type StrategyDocument = z.infer<typeof strategyDocumentSchema>;

/** Parses the parameter's value; throws an Error naming the parameter and the bad field. */
export function parseStrategyDocument(
  parameter: string,
  value: string,
): StrategyDocument {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (e) {
    throw new Error(
      `${parameter} is not JSON (${
        (e as Error).message
      }); fix it in the service's Terraform (deployment_strategy)`,
    );
  }
  const parsed = strategyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(i => `${i.path.join('.') || 'value'}: ${i.message}`)
      .join('; ');
    throw new Error(
      `${parameter} is not a deployment strategy the portal knows (${issues}); fix it in the service's Terraform (deployment_strategy)`,
    );
  }
  return parsed.data;
}

/** The bakes of a strategy in minutes: between traffic steps, and after all traffic moved. */
export function strategyBakes(
  configuration: StrategyDocument['deploymentConfiguration'],
): { stepMinutes: number; finalMinutes: number } {
  const { strategy } = configuration;
  let stepMinutes = 0;
  if (strategy === 'CANARY') {
    stepMinutes =
      configuration.canaryConfiguration?.canaryBakeTimeInMinutes ??
      CANARY_BAKE_DEFAULT;
  } else if (strategy === 'LINEAR') {
    stepMinutes =
      configuration.linearConfiguration?.stepBakeTimeInMinutes ??
      LINEAR_BAKE_DEFAULT;
  }
  return {
    stepMinutes,
    finalMinutes:
      strategy === 'ROLLING' ? 0 : configuration.bakeTimeInMinutes ?? 0,
  };
}

/** The fields of UpdateService that apply a strategy. */
export interface StrategyUpdate {
  deploymentConfiguration: DeploymentConfiguration;
  loadBalancers?: LoadBalancer[];
}

/**
 * What UpdateService sends to apply the document: the service's current deployment
 * configuration (circuit breaker, alarms, min/max percent and any Lambda hooks stay) with the
 * strategy's fields, and for traffic-shifting strategies the bakes moved into the portal's
 * hooks (hooks.ts); the document's load balancers when it has any. Without a hold limit (a
 * rollback) the strategy goes without bakes or the portal's hooks: traffic moves at once.
 */
export function strategyUpdate(
  document: StrategyDocument,
  current: DeploymentConfiguration | undefined,
  holdLimitMinutes: number | undefined,
): StrategyUpdate {
  const {
    strategy: _strategy,
    bakeTimeInMinutes: _bake,
    canaryConfiguration: _canary,
    linearConfiguration: _linear,
    lifecycleHooks,
    ...kept
  } = current ?? {};
  const configuration = document.deploymentConfiguration;
  const { strategy } = configuration;
  const ownHooks = (lifecycleHooks ?? []).filter(h => h.targetType !== 'PAUSE');
  const deploymentConfiguration: DeploymentConfiguration = {
    ...kept,
    strategy,
    lifecycleHooks: ownHooks,
  };
  if (strategy !== 'ROLLING') {
    deploymentConfiguration.bakeTimeInMinutes = 0;
    if (holdLimitMinutes !== undefined) {
      deploymentConfiguration.lifecycleHooks = [
        ...ownHooks,
        ...portalHooks({ ...strategyBakes(configuration), holdLimitMinutes }),
      ];
    }
  }
  if (strategy === 'CANARY') {
    deploymentConfiguration.canaryConfiguration = {
      ...configuration.canaryConfiguration,
      canaryBakeTimeInMinutes: 0,
    };
  }
  if (strategy === 'LINEAR') {
    deploymentConfiguration.linearConfiguration = {
      ...configuration.linearConfiguration,
      stepBakeTimeInMinutes: 0,
    };
  }
  return {
    deploymentConfiguration,
    ...(document.loadBalancers.length > 0 && {
      loadBalancers: document.loadBalancers,
    }),
  };
}
