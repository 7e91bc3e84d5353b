/*
 * Name rules shared by the backend (config, routes), the scaffolder (template input) and the
 * Terraform modules (`var.name` of ecs-service, `var.environment` of ecs-environment-ref). The
 * table in `nameCases.json` is fed to all three by their tests, so they cannot drift apart.
 */
import { z } from 'zod';

/** Service name: the entity name, the ECS service name and the Terraform `var.name`. @public */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** Service names the modules refuse (AWS and platform words). @public */
export const RESERVED_SERVICE_NAMES: readonly string[] = [
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

/** Environment name: config, URLs, annotations, tags and the Terraform `var.environment`. @public */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,20}$/;

/**
 * Why `value` is not a valid service name, or undefined when it is.
 *
 * @public
 */
export function serviceNameProblem(value: string): string | undefined {
  if (!SERVICE_NAME_PATTERN.test(value)) {
    return 'must be 3-32 lowercase letters, digits and hyphens, start with a letter and not end with a hyphen';
  }
  if (value.includes('--')) {
    return "must not contain '--'";
  }
  if (RESERVED_SERVICE_NAMES.includes(value)) {
    return `is a reserved word (${RESERVED_SERVICE_NAMES.join(', ')})`;
  }
  return undefined;
}

/**
 * Why `value` is not a valid environment name, or undefined when it is.
 *
 * @public
 */
export function environmentNameProblem(value: string): string | undefined {
  return ENVIRONMENT_NAME_PATTERN.test(value)
    ? undefined
    : 'must be 2-21 lowercase letters, digits and hyphens, starting with a letter (like "prod")';
}

/** A service name (zod), with the rule's message. @public */
export const serviceNameSchema = z.string().superRefine((value, ctx) => {
  const problem = serviceNameProblem(value);
  if (problem) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }
});

/** An environment name (zod), with the rule's message. @public */
export const environmentNameSchema = z.string().superRefine((value, ctx) => {
  const problem = environmentNameProblem(value);
  if (problem) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }
});
