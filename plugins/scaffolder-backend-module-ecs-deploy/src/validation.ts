/*
 * Rules across fields (cpu/memory, environments against the configuration, per-environment maps,
 * autoscaling bounds) and the validators of our configuration. Per-field rules are in the actions'
 * zod schemas (input.ts) and in @deployment-portal/plugin-ecs-deploy-common.
 */
import { InputError } from '@backstage/errors';
import { fargateSizeProblem } from '@deployment-portal/plugin-ecs-deploy-common';
import { refusal } from './errors';
import {
  imageRepositoryProblem,
  modulesSourceProblem,
  normaliseModulesSource,
  regionProblem,
} from './fields';

/** The environments used when the configuration lists none. */
export const DEFAULT_ENVIRONMENTS: readonly string[] = ['staging', 'prod'];

/** An `InputError` naming the field and the bad value. */
export function fail(field: string, value: unknown, rule: string): never {
  throw refusal(
    new InputError(`Invalid ${field} ${JSON.stringify(value)}: ${rule}`),
  );
}

function ensure(
  field: string,
  value: string,
  problem: (value: string) => string | undefined,
): string {
  const message = problem(value);
  if (message) {
    fail(field, value, message);
  }
  return value;
}

/** `cpu` and `memory`: a Fargate task size. */
export function validateCpuMemory(
  cpu: number,
  memory: number,
): { cpu: number; memory: number } {
  const problem = fargateSizeProblem(cpu, memory);
  if (problem) {
    fail(
      problem.field,
      problem.field === 'cpu' ? cpu : memory,
      problem.message,
    );
  }
  return { cpu, memory };
}

/** `environments`: distinct, known environments, returned in configured order. */
export function validateEnvironments(
  selected: readonly string[],
  known: readonly string[],
  field = 'environments',
): string[] {
  const seen = new Set<string>();
  for (const env of selected) {
    if (!known.includes(env)) {
      fail(field, env, `is not a known environment (${known.join(', ')})`);
    }
    if (seen.has(env)) {
      fail(field, env, 'is listed twice');
    }
    seen.add(env);
  }
  // Configured order, so the output does not depend on the form's order.
  return known.filter(env => seen.has(env));
}

/**
 * Keys of a per-environment map must be known environments; entries of known but unselected
 * environments are dropped (a form may send values for every environment).
 */
export function validatePerEnvironmentKeys<T>(
  value: Record<string, T> | undefined,
  known: readonly string[],
  selected: readonly string[],
  field: string,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, entry] of Object.entries(value ?? {})) {
    if (!known.includes(key)) {
      fail(
        `${field}.${key}`,
        key,
        `is not a known environment (${known.join(', ')})`,
      );
    }
    if (selected.includes(key)) {
      out[key] = entry;
    }
  }
  return out;
}

/** Autoscaling of one environment: min and max given, min <= max; `undefined` when not enabled. */
export function validateAutoscaling(
  value: { enabled: boolean; min?: number; max?: number },
  field: string,
): { min: number; max: number } | undefined {
  if (!value.enabled) {
    return undefined;
  }
  const { min, max } = value;
  if (min === undefined || max === undefined) {
    fail(
      `${field}.${min === undefined ? 'min' : 'max'}`,
      undefined,
      'is required when autoscaling is enabled',
    );
  }
  if (min > max) {
    fail(`${field}.min`, min, `must not be greater than max (${max})`);
  }
  return { min, max };
}

/** A validated deployment strategy of one environment, as ecs-service's `deployment_strategy`. */
export type StrategySpec =
  | { type: 'rolling' }
  | {
      type: 'canary';
      bakeMinutes: number;
      canaryPercent: number;
      canaryBakeMinutes: number;
    }
  | {
      type: 'linear';
      bakeMinutes: number;
      linearStepPercent: number;
      linearStepBakeMinutes: number;
    }
  | { type: 'blue_green'; bakeMinutes: number };

type StrategyInput = {
  type: StrategySpec['type'];
  bakeMinutes?: number;
  canaryPercent?: number;
  canaryBakeMinutes?: number;
  linearStepPercent?: number;
  linearStepBakeMinutes?: number;
};

/** The strategy of one environment (rolling when none): every value its type needs is given. */
export function validateStrategy(
  value: StrategyInput | undefined,
  field: string,
): StrategySpec {
  if (!value || value.type === 'rolling') {
    return { type: 'rolling' };
  }
  const need = (key: Exclude<keyof StrategyInput, 'type'>): number => {
    const given = value[key];
    if (given === undefined) {
      fail(`${field}.${key}`, undefined, `is required for ${value.type}`);
    }
    return given;
  };
  const bakeMinutes = need('bakeMinutes');
  switch (value.type) {
    case 'canary':
      return {
        type: 'canary',
        bakeMinutes,
        canaryPercent: need('canaryPercent'),
        canaryBakeMinutes: need('canaryBakeMinutes'),
      };
    case 'linear':
      return {
        type: 'linear',
        bakeMinutes,
        linearStepPercent: need('linearStepPercent'),
        linearStepBakeMinutes: need('linearStepBakeMinutes'),
      };
    default:
      return { type: 'blue_green', bakeMinutes };
  }
}

/** A configured AWS region. */
export function validateRegion(value: string, field: string): string {
  return ensure(field, value, regionProblem);
}

/** A configured image repository prefix. */
export function validateImageRepository(value: string, field: string): string {
  return ensure(field, value, imageRepositoryProblem);
}

/** A configured modules source, normalised. */
export function validateModulesSource(value: string, field: string): string {
  return normaliseModulesSource(ensure(field, value, modulesSourceProblem));
}

/** The state backend of the generated roots. @public */
export type BackendSettings =
  | { type: 'none' }
  | { type: 'local' }
  | {
      type: 's3';
      bucket: string;
      keyPrefix: string;
      region?: string;
      dynamodbTable?: string;
    };

/** Checks backend settings from configuration. */
export function validateBackend(value: BackendSettings): BackendSettings {
  if (value.type === 's3') {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value.bucket)) {
      fail(
        'ecsDeploy.scaffolder.backend.bucket',
        value.bucket,
        'must be an S3 bucket name',
      );
    }
    if (
      !/^[A-Za-z0-9._\-/]{0,200}$/.test(value.keyPrefix) ||
      value.keyPrefix.includes('..')
    ) {
      fail(
        'ecsDeploy.scaffolder.backend.keyPrefix',
        value.keyPrefix,
        'must be an S3 key prefix of letters, digits and . _ - /',
      );
    }
    if (value.region !== undefined) {
      validateRegion(value.region, 'ecsDeploy.scaffolder.backend.region');
    }
    if (
      value.dynamodbTable !== undefined &&
      !/^[A-Za-z0-9._-]{3,255}$/.test(value.dynamodbTable)
    ) {
      fail(
        'ecsDeploy.scaffolder.backend.dynamodbTable',
        value.dynamodbTable,
        'must be a DynamoDB table name',
      );
    }
  }
  return value;
}
