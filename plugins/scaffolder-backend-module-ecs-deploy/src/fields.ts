/*
 * Per-field rules of the scaffolder's own fields (owner, description, paths, region, sources),
 * each a `xProblem(value)` that says what is wrong or returns undefined. The zod schemas of the
 * actions (input.ts) and the config validators (validation.ts) both use them. Service, environment,
 * Fargate and image rules are shared with the backend in @deployment-portal/plugin-ecs-deploy-common.
 */
import path from 'node:path';

/** AWS region names such as us-east-1 or eu-central-2. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;

/** `group:<namespace>/<name>`, `group:<name>` or `<name>` (kind checked separately). */
export const OWNER_PATTERN =
  /^(?:([a-zA-Z][a-zA-Z0-9-]*):)?(?:([a-z0-9][a-z0-9._-]{0,62})\/)?([a-zA-Z0-9][a-zA-Z0-9._-]{0,62})$/;

/** An absolute URL path of letters, digits and `. _ ~ - /`. */
export const HEALTH_CHECK_PATH_PATTERN = /^\/[A-Za-z0-9._~\-/]{0,200}$/;

/** The longest description (catalog, package.json, README). */
export const DESCRIPTION_MAX_LENGTH = 300;

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The full group ref of an owner that passes {@link ownerProblem}. */
export function ownerRef(value: string): string {
  const [, , namespace = 'default', name] = OWNER_PATTERN.exec(value)!;
  return `group:${namespace}/${name}`;
}

/** A group reference: `group:<namespace>/<name>`, `group:<name>` or `<name>`. */
export function ownerProblem(value: string): string | undefined {
  const match = OWNER_PATTERN.exec(value);
  if (!match) {
    return 'must be a group entity reference such as group:default/team-payments or team-payments';
  }
  const [, kind, , name] = match;
  if (kind !== undefined && kind.toLocaleLowerCase('en-US') !== 'group') {
    return `must reference a Group, not a ${kind}`;
  }
  if (/[._-]$/.test(name) || /[._-]{2}/.test(name)) {
    return 'the group name must not end with or repeat the separators . _ -';
  }
  return undefined;
}

/** One line of 1-300 characters without control characters (tabs, line breaks, BEL, ...). */
export function descriptionProblem(value: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase();
    return `must be one line without control characters (found U+${code.padStart(
      4,
      '0',
    )} at position ${control.index + 1})`;
  }
  if (value.trim().length === 0) {
    return 'must not be empty';
  }
  if (value.length > DESCRIPTION_MAX_LENGTH) {
    return `must be at most ${DESCRIPTION_MAX_LENGTH} characters`;
  }
  return undefined;
}

/** An absolute URL path without spaces, quotes or `..`. */
export function healthCheckPathProblem(value: string): string | undefined {
  return HEALTH_CHECK_PATH_PATTERN.test(value) && !value.includes('..')
    ? undefined
    : 'must be an absolute path of letters, digits and . _ ~ - / such as /healthz';
}

/** An AWS region name. */
export function regionProblem(value: string): string | undefined {
  return AWS_REGION_PATTERN.test(value)
    ? undefined
    : 'must be an AWS region name such as us-east-1';
}

/** A registry path without tag, e.g. ghcr.io/acme. */
export function imageRepositoryProblem(value: string): string | undefined {
  return /^[a-z0-9][a-z0-9._\-/:]{0,200}[a-z0-9]$/.test(value) &&
    !value.includes('..') &&
    !value.includes('//')
    ? undefined
    : 'must be an image repository prefix such as ghcr.io/acme or 123456789012.dkr.ecr.us-east-1.amazonaws.com';
}

/**
 * A relative path inside the workspace: no `..` segment, no absolute path, no backslashes or
 * control characters. '' and '.' mean the root.
 */
export function relativePathProblem(value: string): string | undefined {
  if (value === '' || value === '.') {
    return undefined;
  }
  return value.length <= 200 &&
    /^[A-Za-z0-9._\-/]+$/.test(value) &&
    !path.posix.isAbsolute(value) &&
    !value.split('/').some(segment => segment === '..')
    ? undefined
    : 'must be a relative path inside the workspace (letters, digits, . _ - /; no "..", no absolute path)';
}

/** The normalised POSIX form of a path that passes {@link relativePathProblem} ('' for the root). */
export function normaliseRelativePath(value: string | undefined): string {
  if (value === undefined || value === '' || value === '.') {
    return '';
  }
  const normalised = path.posix.normalize(value).replace(/\/+$/, '');
  return normalised === '.' ? '' : normalised;
}

/**
 * Where generated roots load terraform-modules from: a relative path (from the generated
 * repository's root), or a `git::`/`https://` source with a `//` subdirectory and optional `?ref=`.
 * Characters that could break out of an HCL string are refused.
 */
export function modulesSourceProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > 500 || /[\s"\\$%{}`]/.test(value)) {
    return 'must be a relative path (../terraform-modules) or a git source (git::https://github.com/acme/platform//terraform-modules?ref=v1) without spaces, quotes, $ or braces';
  }
  const isRelative = value.startsWith('./') || value.startsWith('../');
  const isRemote = /^(git::)?(https:\/\/|ssh:\/\/|git@)[A-Za-z0-9.-]+[/:]/.test(
    value,
  );
  return isRelative || isRemote
    ? undefined
    : 'must start with ./ or ../ (a path in the generated repository) or be a git:: / https:// source';
}

/** A `modulesSource` without trailing slashes (also before `?ref=`). */
export function normaliseModulesSource(value: string): string {
  return value.replace(/\/+$/, '').replace(/\/+(\?)/, '$1');
}
