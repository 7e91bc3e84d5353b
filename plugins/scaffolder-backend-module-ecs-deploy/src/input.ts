/*
 * The input contract of ecs-deploy:check-service and ecs-deploy:render-service: one zod schema per
 * field (zod-callback form), carrying the per-field limits of the shared rules. The scaffolder
 * turns it into the actions' JSON Schema; `parseInput` applies the same schemas in the handler
 * (the JSON Schema cannot hold the refinements, and its messages do not show the bad value).
 */
import { InputError } from '@backstage/errors';
import {
  ENVIRONMENT_NAME_PATTERN,
  environmentNameProblem,
  FARGATE_CPUS,
  imageReferenceProblem,
  SERVICE_NAME_PATTERN,
  serviceNameProblem,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { z } from 'zod/v3';
import { refusal } from './errors';
import {
  DESCRIPTION_MAX_LENGTH,
  descriptionProblem,
  HEALTH_CHECK_PATH_PATTERN,
  healthCheckPathProblem,
  imageRepositoryProblem,
  modulesSourceProblem,
  normaliseRelativePath,
  OWNER_PATTERN,
  ownerProblem,
  ownerRef,
  regionProblem,
  relativePathProblem,
} from './fields';

/** The zod the field schemas are built with (the scaffolder passes its own). */
export type Z = typeof z;
type Problem = (value: string) => string | undefined;

/**
 * A string checked by a rule. `pattern` and `max` repeat what JSON Schema can express of it, so
 * that the scaffolder (editor, action docs, task runner) knows them too.
 */
function ruled(
  zod: Z,
  problem: Problem,
  limits: { pattern?: RegExp; max?: number } = {},
) {
  let base = zod.string();
  if (limits.pattern) {
    base = base.regex(limits.pattern);
  }
  if (limits.max !== undefined) {
    base = base.max(limits.max);
  }
  return base.superRefine((value, ctx) => {
    const message = problem(value);
    if (message) {
      ctx.addIssue({ code: zod.ZodIssueCode.custom, message });
    }
  });
}

/** An optional string checked by a rule; '' counts as not given. */
function optionalRuled(zod: Z, problem: Problem) {
  return ruled(zod, value => (value === '' ? undefined : problem(value)))
    .optional()
    .transform(value => (value === '' ? undefined : value));
}

function wholeNumber(zod: Z, min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return zod.number().int(message).min(min, message).max(max, message);
}

const count = (zod: Z) => wholeNumber(zod, 0, 100);

const minutes = (zod: Z) => wholeNumber(zod, 0, 1440);

/** A percentage from `min` to 100 in steps of 0.1, as ECS takes canary and linear steps. */
function percent(zod: Z, min: number) {
  const message = `must be from ${min} to 100 in steps of 0.1`;
  return zod
    .number()
    .min(min, message)
    .max(100, message)
    .refine(v => Math.abs(v * 10 - Math.round(v * 10)) < 1e-6, message);
}

/** The deployment strategies of the ecs-service module (its `deployment_strategy.type`). */
export const STRATEGY_TYPES = [
  'rolling',
  'canary',
  'linear',
  'blue_green',
] as const;

/** A relative workspace path, normalised ('' for the root). */
export const relativePathField = (zod: Z) =>
  ruled(zod, relativePathProblem).transform(normaliseRelativePath);

/** The fields of a new service (zod-callback form), shared by check-service and render-service. */
export const serviceInputFields = {
  name: (zod: Z) =>
    ruled(zod, serviceNameProblem, { pattern: SERVICE_NAME_PATTERN }).describe(
      'Service name: the Backstage entity name and the ECS service name. 3-32 lowercase letters, digits and hyphens, no "--", not a reserved word.',
    ),
  owner: (zod: Z) =>
    ruled(zod, ownerProblem, { pattern: OWNER_PATTERN })
      .transform(ownerRef)
      .describe(
        'Owning group, e.g. group:default/team-payments (or team-payments). Must exist in the catalog and have the caller as a member (admins: any group).',
      ),
  description: (zod: Z) =>
    ruled(zod, descriptionProblem, { max: DESCRIPTION_MAX_LENGTH })
      .transform(value => value.trim())
      .describe(
        `One-line description of the service, at most ${DESCRIPTION_MAX_LENGTH} characters, no control characters.`,
      ),
  image: (zod: Z) =>
    optionalRuled(zod, imageReferenceProblem).describe(
      'Initial container image. Omit when the service is built from its own Dockerfile: the image becomes <imageRepository>/<name>:initial until CI writes the real one.',
    ),
  buildContext: (zod: Z) =>
    relativePathField(zod)
      .optional()
      .describe(
        'Docker build context inside the repository (informational; implies an image placeholder when image is omitted).',
      ),
  imageRepository: (zod: Z) =>
    optionalRuled(zod, imageRepositoryProblem).describe(
      'Image repository prefix for the placeholder image, default from ecsDeploy.scaffolder.imageRepository.',
    ),
  port: (zod: Z) =>
    wholeNumber(zod, 1, 65535).describe('Container port, 1-65535.'),
  cpu: (zod: Z) =>
    zod
      .union(
        FARGATE_CPUS.map(cpu => zod.literal(cpu)) as unknown as [
          z.ZodLiteral<number>,
          z.ZodLiteral<number>,
          ...z.ZodLiteral<number>[],
        ],
        {
          errorMap: () => ({
            message: `must be one of ${FARGATE_CPUS.join(', ')}`,
          }),
        },
      )
      .describe(`Task CPU units: ${FARGATE_CPUS.join(', ')}.`),
  memory: (zod: Z) =>
    wholeNumber(zod, 512, 122880).describe(
      'Task memory in MiB, a Fargate size for the cpu (256 → 512, 1024, 2048; 512 → 1024-4096; ...).',
    ),
  healthCheckPath: (zod: Z) =>
    ruled(zod, healthCheckPathProblem, {
      pattern: HEALTH_CHECK_PATH_PATTERN,
    }).describe('HTTP path of the container health check, e.g. /healthz.'),
  environments: (zod: Z) =>
    zod
      .array(
        ruled(zod, environmentNameProblem, {
          pattern: ENVIRONMENT_NAME_PATTERN,
        }),
      )
      .min(1, 'must list at least one environment')
      .describe(
        'Environments to render a root for, from ecsDeploy.environments, e.g. [staging, prod].',
      ),
  desiredCounts: (zod: Z) =>
    zod
      .record(count(zod))
      .describe(
        'Desired task count of each selected environment (0-100), e.g. { staging: 1, prod: 2 }. Entries of unselected environments are ignored.',
      ),
  autoscaling: (zod: Z) =>
    zod
      .record(
        zod.object({
          enabled: zod
            .boolean()
            .describe(
              'Whether this environment autoscales (false ignores min and max).',
            ),
          min: count(zod)
            .optional()
            .describe('Minimum task count, 0-100; needed when enabled.'),
          max: count(zod)
            .optional()
            .describe(
              'Maximum task count, 0-100, >= min; needed when enabled.',
            ),
        }),
      )
      .optional()
      .describe(
        'Autoscaling per environment, e.g. { prod: { enabled: true, min: 2, max: 6 } }. Omitted environments do not autoscale.',
      ),
  strategies: (zod: Z) =>
    zod
      .record(
        zod.object({
          type: zod
            .enum(STRATEGY_TYPES)
            .describe(
              "rolling (ECS replaces tasks in place), canary (a share of the traffic first, then all), linear (equal steps) or blue_green (all at once to a new set of tasks, old ones kept through the bake). All but rolling route through a rule on the environment's shared ALB listener.",
            ),
          bakeMinutes: minutes(zod)
            .optional()
            .describe(
              'Minutes the new tasks take all the traffic while the old ones stay ready for a rollback (0-1440); needed unless rolling.',
            ),
          canaryPercent: percent(zod, 0.1)
            .optional()
            .describe(
              'Canary: share of the traffic of the first step (0.1-100); needed for canary.',
            ),
          canaryBakeMinutes: minutes(zod)
            .optional()
            .describe(
              'Canary: minutes the first step bakes before all traffic moves (0-1440); needed for canary.',
            ),
          linearStepPercent: percent(zod, 3)
            .optional()
            .describe(
              'Linear: share of the traffic each step adds (3-100); needed for linear.',
            ),
          linearStepBakeMinutes: minutes(zod)
            .optional()
            .describe(
              'Linear: minutes each step bakes (0-1440); needed for linear.',
            ),
        }),
      )
      .optional()
      .describe(
        'Deployment strategy per environment, e.g. { prod: { type: canary, canaryPercent: 10, canaryBakeMinutes: 10, bakeMinutes: 10 } }. Omitted environments roll.',
      ),
  modulesSource: (zod: Z) =>
    optionalRuled(zod, modulesSourceProblem).describe(
      'Where the roots load terraform-modules from: a path relative to the repository root or git::https://…//terraform-modules?ref=v1. Default from ecsDeploy.scaffolder.modulesSource.',
    ),
  awsRegion: (zod: Z) =>
    optionalRuled(zod, regionProblem).describe(
      "AWS region of every root. Default: each environment's configured region.",
    ),
  targetDirectory: (zod: Z) =>
    relativePathField(zod)
      .optional()
      .describe(
        'Workspace-relative directory to write into. Default the workspace root.',
      ),
};

type Fields = Record<string, (zod: Z) => z.ZodTypeAny>;

/** The parsed (normalised) value of an input described by `fields`. */
export type ParsedInput<T extends Fields> = z.output<
  z.ZodObject<{ [K in keyof T]: ReturnType<T[K]> }>
>;

/** The parsed input of check-service and render-service. */
export type ServiceInput = ParsedInput<typeof serviceInputFields>;

/** `desiredCounts.staging` for ['desiredCounts', 'staging']; array indices are left out. */
function fieldName(issuePath: (string | number)[]): string {
  return issuePath.filter(segment => typeof segment === 'string').join('.');
}

function valueAt(input: unknown, issuePath: (string | number)[]): unknown {
  return issuePath.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object'
        ? (value as Record<string | number, unknown>)[key]
        : undefined,
    input,
  );
}

/**
 * Parses an action's input with its field schemas. Throws an `InputError` naming the field and
 * the bad value: `Invalid name "Payments": must be 3-32 lowercase letters, ...`.
 */
export function parseInput<T extends Fields>(
  fields: T,
  input: unknown,
): ParsedInput<T> {
  const schema = z.object(
    Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [key, field(z)]),
    ),
  );
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data as ParsedInput<T>;
  }
  // The first field at fault; a rule's own message beats the pattern's generic one.
  const first = result.error.issues[0];
  const samePath = result.error.issues.filter(
    issue => issue.path.join('.') === first.path.join('.'),
  );
  const issue =
    samePath.find(i => i.code === z.ZodIssueCode.custom) ?? samePath[0];
  const value = valueAt(input, issue.path);
  throw refusal(
    new InputError(
      `Invalid ${fieldName(issue.path)} ${
        value === undefined ? 'undefined' : JSON.stringify(value)
      }: ${issue.message}`,
    ),
  );
}
