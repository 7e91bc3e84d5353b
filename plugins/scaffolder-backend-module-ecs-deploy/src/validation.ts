/*
 * The input rules of the ECS service scaffolder, mirroring the `validation {}` blocks of
 * terraform-modules/ecs-service and ecs-environment-ref, so that a bad value fails in the form's
 * step (naming the field) instead of in `terraform plan` weeks later.
 */
import { InputError } from '@backstage/errors';
import path from 'node:path';

/** Service name rule of the ecs-service module (`var.name`). */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** Reserved service names (`var.name` of ecs-service). */
export const RESERVED_NAMES: readonly string[] = [
  'aws',
  'amazon',
  'ecs',
  'default',
  'admin',
  'root',
  'system',
  'internal',
  'null',
  'none',
];

/** Environment name rule of ecs-environment-ref (`var.environment`). */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,20}$/;

/** AWS region names such as us-east-1 or eu-central-2. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;

/** Valid Fargate task sizes: cpu units → allowed memory (MiB), as in ecs-service's main.tf. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The environments used when the configuration lists none. */
export const DEFAULT_ENVIRONMENTS: readonly string[] = ['staging', 'prod'];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) {
    out.push(v);
  }
  return out;
}

function fail(field: string, value: unknown, rule: string): never {
  throw new InputError(`Invalid ${field} ${JSON.stringify(value)}: ${rule}`);
}

/** `name`: 3-32 characters, lowercase letters, digits and single hyphens, not reserved. */
export function validateServiceName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !SERVICE_NAME_PATTERN.test(value)) {
    fail(
      field,
      value,
      'must match ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ (3-32 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen)',
    );
  }
  if (value.includes('--')) {
    fail(field, value, "must not contain '--'");
  }
  if (RESERVED_NAMES.includes(value)) {
    fail(field, value, `is a reserved word (${RESERVED_NAMES.join(', ')})`);
  }
  return value;
}

/**
 * `owner`: a group reference, `group:<namespace>/<name>`, `group:<name>` or `<name>`; returns the
 * full ref `group:<namespace>/<name>`.
 */
export function validateOwner(value: unknown, field = 'owner'): string {
  const match =
    typeof value === 'string'
      ? /^(?:([a-zA-Z][a-zA-Z0-9-]*):)?(?:([a-z0-9][a-z0-9._-]{0,62})\/)?([a-zA-Z0-9][a-zA-Z0-9._-]{0,62})$/.exec(
          value,
        )
      : null;
  if (!match) {
    fail(
      field,
      value,
      'must be a group entity reference such as group:default/team-payments or team-payments',
    );
  }
  const [, kind, namespace = 'default', name] = match;
  if (kind !== undefined && kind.toLocaleLowerCase('en-US') !== 'group') {
    fail(field, value, `must reference a Group, not a ${kind}`);
  }
  if (/[._-]$/.test(name) || /[._-]{2}/.test(name)) {
    fail(
      field,
      value,
      'the group name must not end with or repeat the separators . _ -',
    );
  }
  return `group:${namespace}/${name}`;
}

/** `description`: one line of at most 300 characters. */
export function validateDescription(
  value: unknown,
  field = 'description',
): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    fail(field, value, 'must be a non-empty string');
  }
  if (value.length > 300 || /[\r\n]/.test(value)) {
    fail(field, value, 'must be a single line of at most 300 characters');
  }
  return value.trim();
}

/** `image`: a container image reference without spaces or quotes. */
export function validateImage(value: unknown, field = 'image'): string {
  if (
    typeof value !== 'string' ||
    !/^[a-z0-9][a-z0-9._\-/:@]{0,254}$/i.test(value) ||
    value.includes('..') ||
    value.includes('//')
  ) {
    fail(
      field,
      value,
      'must be a container image reference such as ghcr.io/acme/payments-api:1.4.0',
    );
  }
  return value;
}

/** `imageRepository`: a registry path without tag, e.g. ghcr.io/acme. */
export function validateImageRepository(
  value: unknown,
  field = 'imageRepository',
): string {
  if (
    typeof value !== 'string' ||
    !/^[a-z0-9][a-z0-9._\-/:]{0,200}[a-z0-9]$/.test(value) ||
    value.includes('..') ||
    value.includes('//')
  ) {
    fail(
      field,
      value,
      'must be an image repository prefix such as ghcr.io/acme or 123456789012.dkr.ecr.us-east-1.amazonaws.com',
    );
  }
  return value;
}

/** `port`: whole number 1-65535. */
export function validatePort(value: unknown, field = 'port'): number {
  if (!isWhole(value) || value < 1 || value > 65535) {
    fail(field, value, 'must be a whole number from 1 to 65535');
  }
  return value;
}

/** `cpu` and `memory`: a Fargate task size. */
export function validateCpuMemory(
  cpu: unknown,
  memory: unknown,
): { cpu: number; memory: number } {
  const cpus = Object.keys(FARGATE_MEMORY).map(Number);
  if (!isWhole(cpu) || !cpus.includes(cpu)) {
    fail('cpu', cpu, `must be one of ${cpus.join(', ')}`);
  }
  const allowed = FARGATE_MEMORY[cpu];
  if (!isWhole(memory) || !allowed.includes(memory)) {
    fail(
      'memory',
      memory,
      `is not a Fargate memory size for cpu ${cpu}; allowed: ${describeRange(
        allowed,
      )} MiB`,
    );
  }
  return { cpu, memory };
}

/** `healthCheckPath`: an absolute URL path without spaces, quotes or query tricks. */
export function validateHealthCheckPath(
  value: unknown,
  field = 'healthCheckPath',
): string {
  if (
    typeof value !== 'string' ||
    !/^\/[A-Za-z0-9._~\-/]{0,200}$/.test(value) ||
    value.includes('..')
  ) {
    fail(
      field,
      value,
      'must be an absolute path of letters, digits and . _ ~ - / such as /healthz',
    );
  }
  return value;
}

/** `awsRegion`: an AWS region name. */
export function validateRegion(value: unknown, field = 'awsRegion'): string {
  if (typeof value !== 'string' || !AWS_REGION_PATTERN.test(value)) {
    fail(field, value, 'must be an AWS region name such as us-east-1');
  }
  return value;
}

/** `environments`: a non-empty list of distinct, known environment names. */
export function validateEnvironments(
  value: unknown,
  known: readonly string[],
  field = 'environments',
): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(field, value, 'must list at least one environment');
  }
  const seen = new Set<string>();
  for (const env of value) {
    if (typeof env !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(env)) {
      fail(field, env, 'environment names must match ^[a-z][a-z0-9-]{1,20}$');
    }
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

/** A desired task count: whole number 0-100. */
export function validateCount(value: unknown, field: string): number {
  if (!isWhole(value) || value < 0 || value > 100) {
    fail(field, value, 'must be a whole number from 0 to 100');
  }
  return value;
}

/**
 * Keys of a per-environment map must be known environments; entries of known but unselected
 * environments are dropped (a form may send values for every environment).
 */
export function validatePerEnvironmentKeys(
  value: unknown,
  known: readonly string[],
  selected: readonly string[],
  field: string,
): Record<string, unknown> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(field, value, 'must be an object keyed by environment name');
  }
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
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

/**
 * Autoscaling of one environment: 0 <= min <= max <= 100; `undefined` when `enabled` is false.
 */
export function validateAutoscaling(
  value: unknown,
  field: string,
): { min: number; max: number } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, value, 'must be an object { enabled?, min, max }');
  }
  const { enabled, min, max } = value as {
    enabled?: unknown;
    min?: unknown;
    max?: unknown;
  };
  if (enabled === false) {
    return undefined;
  }
  validateCount(min, `${field}.min`);
  validateCount(max, `${field}.max`);
  if ((min as number) > (max as number)) {
    fail(`${field}.min`, min, `must not be greater than max (${max})`);
  }
  return { min: min as number, max: max as number };
}

/**
 * `targetDirectory`: a relative path inside the workspace (no `..`, no absolute paths, no
 * backslashes or control characters). Returns the normalised POSIX path ('' for the root).
 */
export function validateTargetDirectory(
  value: unknown,
  field = 'targetDirectory',
): string {
  if (value === undefined || value === '' || value === '.') {
    return '';
  }
  if (
    typeof value !== 'string' ||
    value.length > 200 ||
    // eslint-disable-next-line no-control-regex
    /[\\\u0000-\u001f:*?"<>|]/.test(value) ||
    path.posix.isAbsolute(value) ||
    value.split('/').some(segment => segment === '..') ||
    !/^[A-Za-z0-9._\-/]+$/.test(value)
  ) {
    fail(
      field,
      value,
      'must be a relative path inside the workspace (letters, digits, . _ - /; no "..", no absolute path)',
    );
  }
  const normalised = path.posix.normalize(value).replace(/\/+$/, '');
  return normalised === '.' ? '' : normalised;
}

/**
 * `modulesSource`: where the generated roots load terraform-modules from: a relative path
 * (relative to the generated repository's root), or a `git::`/`https://` source with a `//`
 * subdirectory and optional `?ref=`. Characters that could break out of an HCL string are refused.
 */
export function validateModulesSource(
  value: unknown,
  field = 'modulesSource',
): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 500 ||
    /[\s"\\$%{}`]/.test(value)
  ) {
    fail(
      field,
      value,
      'must be a relative path (../terraform-modules) or a git source (git::https://github.com/acme/platform//terraform-modules?ref=v1) without spaces, quotes, $ or braces',
    );
  }
  const isRelative = value.startsWith('./') || value.startsWith('../');
  const isRemote = /^(git::)?(https:\/\/|ssh:\/\/|git@)[A-Za-z0-9.-]+[/:]/.test(
    value,
  );
  if (!isRelative && !isRemote) {
    fail(
      field,
      value,
      'must start with ./ or ../ (a path in the generated repository) or be a git:: / https:// source',
    );
  }
  return value.replace(/\/+$/, '').replace(/\/+(\?)/, '$1');
}

/** The state backend of the generated roots. */
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

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function describeRange(values: readonly number[]): string {
  if (values.length <= 3) {
    return values.join(', ');
  }
  const step = values[1] - values[0];
  return `${values[0]}-${values[values.length - 1]} (step ${step})`;
}
