import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  environmentNameProblem,
  PromotionPath,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** @public */
export interface EnvironmentConfig {
  name: string;
  title: string;
  region: string;
  cluster: string;
  accountId?: string;
  endpoint?: string;
  consoleBaseUrl: string;
  logLinks: Array<{ title: string; urlTemplate: string }>;
}

/** @public */
export interface PromotionPathConfig extends PromotionPath {
  requireHealthySource: boolean;
  /** Soak time: the source must have run its images this long before they are promoted (0: none). */
  minSourceAgeMinutes: number;
  /** A promotion that is not rolled out (deployment COMPLETED, all tasks running) by then failed. */
  verifyTimeoutMs: number;
  /** Roll back automatically (actor `system`) when the rollout fails. */
  autoRollback: boolean;
  /** Present when a promotion needs an approval by another owner or an admin. */
  approval?: { expiresAfterMs: number };
}

/** How the backend follows a rollout after a promotion or rollback. @public */
export interface FollowThroughConfig {
  /** How often the (cluster-wide) follower checks the rollouts in progress. */
  checkIntervalMs: number;
  /** The deadline of paths that name none, and of rollbacks. */
  verifyTimeoutMs: number;
}

/** @public */
export interface FreezeWindowConfig {
  name: string;
  environments: string[];
  reason?: string;
  start?: Date;
  end?: Date;
  weekly?: { days: number[]; fromMinutes: number; toMinutes: number };
}

/**
 * An admin's statement that an ECS service which predates the `backstage:entity-ref` tag belongs
 * to an entity (config is admin-controlled; every write that relies on it is audited as such).
 *
 * @public
 */
export interface OwnershipMapping {
  entityRef: string;
  environment: string;
  serviceName: string;
}

/** Bounds of the logs view's reads of CloudWatch Logs. @public */
export interface LogsConfig {
  /** Lines per answer when the caller names no limit. */
  pageSize: number;
  /** How far back one read searches before it answers with a token to go further. */
  windowMs: number;
  /** FilterLogEvents calls one read may make. */
  maxCallsPerRead: number;
  /** Reads per caller and minute (a token bucket of `burst`). */
  readsPerMinute: number;
  burst: number;
}

/** @public */
export interface EcsDeployConfig {
  environments: EnvironmentConfig[];
  promotionPaths: PromotionPathConfig[];
  freezeWindows: FreezeWindowConfig[];
  ownershipMappings: OwnershipMapping[];
  followThrough: FollowThroughConfig;
  statusTtlMs: number;
  staleTtlMs: number;
  taskDefinitionTtlMs: number;
  maxConcurrentCalls: number;
  maxAttempts: number;
  /** Per AWS request: connecting, and the whole request. */
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** A status read answers (with the last good state and an error) within this. */
  readDeadlineMs: number;
  /** A promotion or rollback gives up (and says the outcome is unknown) after this. */
  writeDeadlineMs: number;
  lockTimeoutMs: number;
  logs: LogsConfig;
}

const ENTITY_REF =
  /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseTime(value: string | undefined, fallback: number, key: string) {
  if (value === undefined) {
    return fallback;
  }
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) {
    throw new InputError(`${key} must be HH:MM (UTC), got '${value}'`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

function parseDate(value: string | undefined, key: string) {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${key} must be an ISO-8601 date, got '${value}'`);
  }
  return date;
}

/**
 * Reads and checks `ecsDeploy.*` once at start-up; a wrong value stops the backend with a message
 * naming the key.
 *
 * @public
 */
export function readEcsDeployConfig(config: Config): EcsDeployConfig {
  const root = config.getConfig('ecsDeploy');
  const environments = root.getConfigArray('environments').map((env, i) => {
    const name = env.getString('name');
    const problem = environmentNameProblem(name);
    if (problem) {
      throw new InputError(
        `ecsDeploy.environments[${i}].name '${name}' ${problem}`,
      );
    }
    const region = env.getString('region');
    return {
      name,
      title: env.getOptionalString('title') ?? name,
      region,
      cluster: env.getString('cluster'),
      accountId: env.getOptionalString('accountId'),
      endpoint: env.getOptionalString('endpoint') || undefined,
      consoleBaseUrl:
        env.getOptionalString('consoleBaseUrl') ??
        `https://${region}.console.aws.amazon.com`,
      logLinks: (env.getOptionalConfigArray('logLinks') ?? []).map(l => ({
        title: l.getString('title'),
        urlTemplate: l.getString('urlTemplate'),
      })),
    };
  });
  if (environments.length === 0) {
    throw new InputError(
      'ecsDeploy.environments must list at least one environment',
    );
  }
  const names = new Set(environments.map(e => e.name));
  if (names.size !== environments.length) {
    throw new InputError('ecsDeploy.environments has duplicate names');
  }
  const known = (value: string, key: string) => {
    if (!names.has(value)) {
      throw new InputError(
        `${key} names unknown environment '${value}'; known: ${[...names].join(
          ', ',
        )}`,
      );
    }
    return value;
  };

  const minutes = (value: number | undefined, key: string) => {
    if (value !== undefined && !(value > 0)) {
      throw new InputError(`${key} must be a positive number, got ${value}`);
    }
    return value === undefined ? undefined : value * 60_000;
  };
  const followThrough = {
    checkIntervalMs:
      (root.getOptionalNumber('followThrough.checkIntervalSeconds') ?? 5) *
      1000,
    verifyTimeoutMs:
      minutes(
        root.getOptionalNumber('followThrough.verifyTimeoutMinutes'),
        'ecsDeploy.followThrough.verifyTimeoutMinutes',
      ) ?? 15 * 60_000,
  };
  if (!(followThrough.checkIntervalMs >= 1000)) {
    throw new InputError(
      'ecsDeploy.followThrough.checkIntervalSeconds must be at least 1',
    );
  }
  const lastEnvironment = environments[environments.length - 1].name;

  const promotionPaths = (
    root.getOptionalConfigArray('promotionPaths') ?? []
  ).map((p, i) => {
    const from = known(
      p.getString('from'),
      `ecsDeploy.promotionPaths[${i}].from`,
    );
    const to = known(p.getString('to'), `ecsDeploy.promotionPaths[${i}].to`);
    if (from === to) {
      throw new InputError(
        `ecsDeploy.promotionPaths[${i}] goes from '${from}' to itself`,
      );
    }
    const key = `ecsDeploy.promotionPaths[${i}]`;
    const soak = p.getOptionalNumber('minSourceAgeMinutes') ?? 0;
    if (!(soak >= 0)) {
      throw new InputError(
        `${key}.minSourceAgeMinutes must be 0 or more, got ${soak}`,
      );
    }
    const approval = p.getOptionalConfig('approval');
    const approvers = approval?.getOptionalString('approvers') ?? 'owners';
    if (approvers !== 'owners') {
      throw new InputError(
        `${key}.approval.approvers must be 'owners' (the entity's owners and the admin groups), got '${approvers}'`,
      );
    }
    return {
      from,
      to,
      requireHealthySource:
        p.getOptionalBoolean('requireHealthySource') ?? true,
      minSourceAgeMinutes: soak,
      verifyTimeoutMs:
        minutes(
          p.getOptionalNumber('verifyTimeoutMinutes'),
          `${key}.verifyTimeoutMinutes`,
        ) ?? followThrough.verifyTimeoutMs,
      // On by default into the last environment (production).
      autoRollback:
        p.getOptionalBoolean('autoRollback') ?? to === lastEnvironment,
      approval: approval?.getOptionalBoolean('required')
        ? {
            expiresAfterMs:
              (minutes(
                approval.getOptionalNumber('expiresAfterHours'),
                `${key}.approval.expiresAfterHours`,
              ) ?? 24 * 60_000) * 60,
          }
        : undefined,
    };
  });

  const freezeWindows = (
    root.getOptionalConfigArray('freezeWindows') ?? []
  ).map((w, i) => {
    const key = `ecsDeploy.freezeWindows[${i}]`;
    const weekly = w.getOptionalConfig('weekly');
    const window: FreezeWindowConfig = {
      name: w.getString('name'),
      environments: w
        .getStringArray('environments')
        .map(e => known(e, `${key}.environments`)),
      reason: w.getOptionalString('reason'),
      start: parseDate(w.getOptionalString('start'), `${key}.start`),
      end: parseDate(w.getOptionalString('end'), `${key}.end`),
      weekly: weekly && {
        days: weekly.getStringArray('days').map(d => {
          const day = DAYS.indexOf(d.toLowerCase().slice(0, 3));
          if (day < 0) {
            throw new InputError(`${key}.weekly.days: unknown day '${d}'`);
          }
          return day;
        }),
        fromMinutes: parseTime(
          weekly.getOptionalString('from'),
          0,
          `${key}.weekly.from`,
        ),
        toMinutes: parseTime(
          weekly.getOptionalString('to'),
          24 * 60,
          `${key}.weekly.to`,
        ),
      },
    };
    if (!window.weekly && !(window.start && window.end)) {
      throw new InputError(`${key} needs either start and end, or weekly`);
    }
    return window;
  });

  const ownershipMappings = (
    root.getOptionalConfigArray('ownership.mappings') ?? []
  ).map((m, i) => {
    const key = `ecsDeploy.ownership.mappings[${i}]`;
    const entityRef = m.getString('entity');
    if (!ENTITY_REF.test(entityRef)) {
      throw new InputError(
        `${key}.entity must be a full entity ref like component:default/payments-api, got '${entityRef}'`,
      );
    }
    return {
      entityRef: entityRef.toLocaleLowerCase('en-US'),
      environment: known(m.getString('environment'), `${key}.environment`),
      serviceName: m.getString('service'),
    };
  });

  const positive = (key: string, fallback: number) => {
    const value = root.getOptionalNumber(key) ?? fallback;
    if (!(value > 0)) {
      throw new InputError(
        `ecsDeploy.${key} must be a positive number, got ${value}`,
      );
    }
    return value;
  };
  const seconds = (key: string, fallback: number) =>
    positive(key, fallback) * 1000;
  const count = (key: string, fallback: number, max: number) =>
    Math.min(max, Math.round(positive(key, fallback)));
  return {
    environments,
    promotionPaths,
    freezeWindows,
    ownershipMappings,
    followThrough,
    statusTtlMs: seconds('cache.statusTtlSeconds', 10),
    staleTtlMs: seconds('cache.staleTtlSeconds', 3600),
    taskDefinitionTtlMs: seconds(
      'cache.taskDefinitionTtlSeconds',
      7 * 24 * 3600,
    ),
    maxConcurrentCalls: root.getOptionalNumber('aws.maxConcurrentCalls') ?? 8,
    maxAttempts: root.getOptionalNumber('aws.maxAttempts') ?? 5,
    connectTimeoutMs: seconds('aws.connectTimeoutSeconds', 3),
    requestTimeoutMs: seconds('aws.requestTimeoutSeconds', 5),
    readDeadlineMs: seconds('aws.readDeadlineSeconds', 8),
    writeDeadlineMs: seconds('aws.writeDeadlineSeconds', 30),
    lockTimeoutMs: seconds('lockTimeoutSeconds', 900),
    logs: {
      pageSize: count('logs.pageSize', 100, 500),
      windowMs: seconds('logs.windowHours', 24) * 3600,
      maxCallsPerRead: count('logs.maxCallsPerRead', 10, 50),
      readsPerMinute: positive('logs.readsPerMinute', 60),
      burst: count('logs.burst', 20, 1000),
    },
  };
}
