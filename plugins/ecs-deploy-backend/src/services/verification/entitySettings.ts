/*
 * An entity's verification settings in one environment: `ecsDeploy.verification` (defaults and
 * the environment's own) with the entity's `ecs-deploy.io/verify.*` annotations over them.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX,
  EcsDeployVerifyKey,
  getVerifyAnnotation,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { VerificationSettings } from '../../config';
import { checkPattern, checkUrlTemplate } from '../../config/verification';

const HTTP_DEFAULTS = {
  expectedStatus: 200,
  successes: 3,
  failureLimit: 2,
  timeoutMs: 5 * 60_000,
  requestTimeoutMs: 5_000,
};

/** A bad annotation: its key (as the entity has it) and what is wrong. */
export class AnnotationError extends Error {}

function annotationKey(entity: Entity, env: string, key: EcsDeployVerifyKey) {
  const own = `${ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX}${env}.${key}`;
  return entity.metadata.annotations?.[own] !== undefined
    ? own
    : `${ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX}${key}`;
}

/** A number annotation (or `none`); NaN and out-of-range values are errors naming the key. */
function limit(
  entity: Entity,
  env: string,
  key: EcsDeployVerifyKey,
  fallback: number | undefined,
  range: [number, number],
): number | undefined {
  const raw = getVerifyAnnotation(entity, env, key);
  if (raw === undefined) return fallback;
  if (raw === 'none') return undefined;
  const value = Number(raw);
  if (raw === '' || !(value >= range[0] && value <= range[1])) {
    throw new AnnotationError(
      `${annotationKey(entity, env, key)} '${raw}' must be a number from ${
        range[0]
      } to ${range[1]}, or none`,
    );
  }
  return value;
}

/**
 * The settings of `environment` for `entity`; throws an {@link AnnotationError} naming a bad
 * annotation.
 */
export function entitySettings(
  base: VerificationSettings,
  entity: Entity,
  env: string,
): VerificationSettings {
  const get = (key: EcsDeployVerifyKey) =>
    getVerifyAnnotation(entity, env, key);
  const bad = (key: EcsDeployVerifyKey, why: string): never => {
    throw new AnnotationError(
      `${annotationKey(entity, env, key)} '${get(key)}' ${why}`,
    );
  };
  const check = <T>(key: EcsDeployVerifyKey, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      return bad(key, (error as Error).message.replace(/^.*?' /, ''));
    }
  };
  const enabled = get('enabled');
  if (enabled !== undefined && enabled !== 'true' && enabled !== 'false') {
    bad('enabled', 'must be true or false');
  }
  const url = get('http-url');
  const status = get('http-status');
  const body = get('http-body');
  let urlTemplate = base.http?.urlTemplate;
  if (url === 'none') urlTemplate = undefined;
  else if (url !== undefined) {
    urlTemplate = check('http-url', () => checkUrlTemplate(url, 'http-url'));
  }
  const expectedStatus =
    status === undefined ? base.http?.expectedStatus : Number(status);
  if (
    expectedStatus !== undefined &&
    !(
      Number.isInteger(expectedStatus) &&
      expectedStatus >= 100 &&
      expectedStatus <= 599
    )
  ) {
    bad('http-status', 'must be an HTTP status (100-599)');
  }
  const names = (get('alarms') ?? '')
    .split(',')
    .map(n => n.trim())
    .filter(Boolean);
  return {
    ...base,
    enabled: enabled === undefined ? base.enabled : enabled === 'true',
    alarms: {
      ...base.alarms,
      names: [...new Set([...base.alarms.names, ...names])],
    },
    http: urlTemplate
      ? {
          ...HTTP_DEFAULTS,
          ...base.http,
          urlTemplate,
          expectedStatus: expectedStatus ?? HTTP_DEFAULTS.expectedStatus,
          bodyPattern:
            body === undefined
              ? base.http?.bodyPattern
              : check('http-body', () => checkPattern(body, 'http-body')),
        }
      : undefined,
    metrics: {
      ...base.metrics,
      maxErrorRatePercent: limit(
        entity,
        env,
        'max-error-rate',
        base.metrics.maxErrorRatePercent,
        [0, 100],
      ),
      maxLatencyP95Ms: limit(
        entity,
        env,
        'max-latency-p95',
        base.metrics.maxLatencyP95Ms,
        [1, 3_600_000],
      ),
    },
  };
}
