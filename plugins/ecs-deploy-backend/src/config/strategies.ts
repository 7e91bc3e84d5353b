/*
 * The sections of deployment strategies and pre-flight checks.
 */
import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type { PreflightConfig, StrategiesConfig } from './types';

/** ECS's longest lifecycle hook timeout, 14 days. */
const MAX_HOLD_MS = 20160 * 60_000;

/** `ecsDeploy.strategies`. */
export function readStrategies(root: Section): StrategiesConfig {
  const section = root.child('strategies');
  const holdLimitMs = section.duration('holdLimit', 60 * 60_000);
  if (holdLimitMs < 60_000 || holdLimitMs > MAX_HOLD_MS) {
    throw new InputError(
      `${section.key(
        'holdLimit',
      )} must be from 1 minute to 14 days (ECS's lifecycle hook timeouts), got ${holdLimitMs} ms`,
    );
  }
  return { holdLimitMinutes: Math.round(holdLimitMs / 60_000) };
}

/** `ecsDeploy.preflight`. */
export function readPreflight(
  root: Section,
  readDeadlineMs: number,
): PreflightConfig {
  const section = root.child('preflight');
  return {
    cacheTtlMs: section.duration('cacheTtl', 30_000),
    timeoutMs: section.duration('timeout', readDeadlineMs),
    requireDigest: section.config.getOptionalBoolean('requireDigest') ?? true,
  };
}
