/*
 * `ecsDeploy.verification`: what is checked after a promotion or a noticed deployment, per
 * environment (`defaults`, then `environments.<name>` over them), and which environments are
 * watched for deployments the portal did not make (CI's to staging).
 */
import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type {
  EnvironmentConfig,
  PromotionPathConfig,
  VerificationConfig,
  VerificationSettings,
} from './types';

/** Placeholders of the HTTP check's URL template. */
export const URL_PLACEHOLDERS = [
  'service',
  'environment',
  'cluster',
  'region',
  'account',
];

const BUILT_IN: VerificationSettings = {
  enabled: true,
  windowMs: 5 * 60_000,
  intervalMs: 30_000,
  inconclusiveLimit: 3,
  alarms: { enabled: true, names: [] },
  http: undefined,
  metrics: {
    enabled: true,
    maxErrorRatePercent: 1,
    maxLatencyP95Ms: 500,
    minRequests: 10,
  },
};

/** Checks a URL template: http(s) and known placeholders only. */
export function checkUrlTemplate(template: string, key: string): string {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map(m => m[1])
    .filter(p => !URL_PLACEHOLDERS.includes(p));
  if (unknown.length > 0) {
    throw new InputError(
      `${key} '${template}' has unknown placeholders ${unknown
        .map(p => `{${p}}`)
        .join(', ')}; known: ${URL_PLACEHOLDERS.map(p => `{${p}}`).join(' ')}`,
    );
  }
  let protocol: string | undefined;
  try {
    protocol = new URL(template.replace(/\{[a-z]+\}/g, 'x')).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InputError(`${key} '${template}' must be an http(s) URL`);
  }
  return template;
}

/** Checks a regular expression (the HTTP check's body match). */
export function checkPattern(pattern: string, key: string): string {
  try {
    new RegExp(pattern); // eslint-disable-line no-new
  } catch (error) {
    throw new InputError(
      `${key} '${pattern}' is not a regular expression: ${
        (error as Error).message
      }`,
    );
  }
  return pattern;
}

const whole = (section: Section, key: string, fallback: number, min = 0) => {
  const value = section.config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new InputError(
      `${section.key(
        key,
      )} must be a whole number of at least ${min}, got ${value}`,
    );
  }
  return value;
};

/** One level (`defaults` or an environment's) over `base`. */
function readSettings(
  section: Section,
  base: VerificationSettings,
): VerificationSettings {
  const { config } = section;
  const http = section.child('http');
  const url = http.config.getOptionalString('url');
  const metrics = section.child('metrics');
  const alarms = section.child('alarms');
  const baseHttp = base.http;
  const httpBase = {
    expectedStatus: 200,
    successes: 3,
    failureLimit: 2,
    timeoutMs: 5 * 60_000,
    requestTimeoutMs: 5_000,
    ...baseHttp,
  };
  let urlTemplate = baseHttp?.urlTemplate;
  if (url === 'none') urlTemplate = undefined;
  else if (url !== undefined)
    urlTemplate = checkUrlTemplate(url, http.key('url'));
  const body = http.config.getOptionalString('bodyMatch');
  const status = whole(http, 'expectedStatus', httpBase.expectedStatus, 100);
  if (status > 599) {
    throw new InputError(
      `${http.key(
        'expectedStatus',
      )} must be an HTTP status (100-599), got ${status}`,
    );
  }
  const maxRate = metrics.config.getOptionalNumber('maxErrorRatePercent');
  if (maxRate !== undefined && !(maxRate >= 0 && maxRate <= 100)) {
    throw new InputError(
      `${metrics.key(
        'maxErrorRatePercent',
      )} must be between 0 and 100, got ${maxRate}`,
    );
  }
  return {
    enabled: config.getOptionalBoolean('enabled') ?? base.enabled,
    windowMs: section.duration('window', base.windowMs),
    intervalMs: section.duration('interval', base.intervalMs),
    inconclusiveLimit: whole(
      section,
      'inconclusiveLimit',
      base.inconclusiveLimit,
    ),
    alarms: {
      enabled:
        alarms.config.getOptionalBoolean('enabled') ?? base.alarms.enabled,
      names: alarms.config.getOptionalStringArray('names') ?? base.alarms.names,
    },
    http: urlTemplate
      ? {
          urlTemplate,
          expectedStatus: status,
          bodyPattern:
            body === undefined
              ? baseHttp?.bodyPattern
              : checkPattern(body, http.key('bodyMatch')),
          successes: whole(http, 'successes', httpBase.successes, 1),
          failureLimit: whole(http, 'failureLimit', httpBase.failureLimit),
          timeoutMs: http.duration('timeout', httpBase.timeoutMs),
          requestTimeoutMs: http.duration(
            'requestTimeout',
            httpBase.requestTimeoutMs,
          ),
        }
      : undefined,
    metrics: {
      enabled:
        metrics.config.getOptionalBoolean('enabled') ?? base.metrics.enabled,
      maxErrorRatePercent: maxRate ?? base.metrics.maxErrorRatePercent,
      maxLatencyP95Ms:
        metrics.config.getOptionalNumber('maxLatencyP95Ms') ??
        base.metrics.maxLatencyP95Ms,
      minRequests: whole(metrics, 'minRequests', base.metrics.minRequests),
    },
  };
}

/** `ecsDeploy.verification`. */
export function readVerification(
  root: Section,
  environments: EnvironmentConfig[],
  paths: PromotionPathConfig[],
  known: (value: string, key: string) => string,
): VerificationConfig {
  const section = root.child('verification');
  const defaults = readSettings(section.child('defaults'), BUILT_IN);
  const perEnvironment = section.child('environments');
  for (const name of perEnvironment.config.keys()) {
    known(name, perEnvironment.key(name));
  }
  const watch = section.child('watch');
  const targets = new Set(paths.map(p => p.to));
  const watched =
    watch.config.getOptionalStringArray('environments') ??
    // Deployments the portal does not make: into environments no promotion leads to.
    environments.map(e => e.name).filter(name => !targets.has(name));
  return {
    environments: Object.fromEntries(
      environments.map(env => [
        env.name,
        readSettings(perEnvironment.child(env.name), defaults),
      ]),
    ),
    watch: {
      environments: watched.map((name, i) =>
        known(name, watch.key(`environments[${i}]`)),
      ),
      intervalMs: watch.duration('interval', 30_000),
      lookbackMs: watch.duration('lookback', 30 * 60_000),
    },
  };
}
