/*
 * The settings a production start cannot do without, checked before any plugin starts: a
 * missing one would otherwise fall back to a local default (SQLite, an in-memory cache, the
 * localhost URLs and the demo of app-config.yaml) or fail later, deep in a plugin. Each problem
 * is one line that starts with the configuration key.
 */
import type { Config } from '@backstage/config';

/** Where app-config.production.yaml reads a key from: named in the message. */
const FROM_ENV: Record<string, string> = {
  'backend.database.connection.host': 'POSTGRES_HOST',
  'backend.cache.connection': 'REDIS_URL',
  'app.baseUrl': 'APP_BASE_URL',
  'auth.session.secret': 'AUTH_SESSION_SECRET',
  'auth.providers.oidc.production.metadataUrl': 'OIDC_METADATA_URL',
  'auth.providers.oidc.production.clientId': 'OIDC_CLIENT_ID',
  'auth.providers.oidc.production.clientSecret': 'OIDC_CLIENT_SECRET',
};

const notSet = (key: string) =>
  FROM_ENV[key]
    ? `${key} is not set (app-config.production.yaml reads it from ${FROM_ENV[key]})`
    : `${key} is not set`;

/** The keys each sign-in provider cannot start without. */
const PROVIDER_KEYS: Record<string, string[]> = {
  oidc: ['metadataUrl', 'clientId', 'clientSecret'],
  github: ['clientId', 'clientSecret'],
};

const CACHE_STORES = ['redis', 'valkey', 'memcache'];

function database(config: Config): string[] {
  const client = config.getOptionalString('backend.database.client');
  if (client !== 'pg') {
    return [
      `backend.database.client is '${client}': production runs on PostgreSQL (client: pg), shared by every replica`,
    ];
  }
  const connection = config.getOptional('backend.database.connection');
  if (typeof connection === 'string' && connection) return [];
  return config.getOptionalString('backend.database.connection.host')
    ? []
    : [notSet('backend.database.connection.host')];
}

function cache(config: Config): string[] {
  const store = config.getOptionalString('backend.cache.store') ?? 'memory';
  if (!CACHE_STORES.includes(store)) {
    return [
      `backend.cache.store is '${store}': replicas share the status cache in Redis (store: redis)`,
    ];
  }
  return config.has('backend.cache.connection')
    ? []
    : [notSet('backend.cache.connection')];
}

function baseUrls(config: Config): string[] {
  const app = config.getOptionalString('app.baseUrl');
  const backend = config.getOptionalString('backend.baseUrl');
  if (!app) return [notSet('app.baseUrl')];
  // The backend serves the app: one URL. Two different ones are the local default's
  // (app-config.yaml: the app on :3000, the backend on :7007) showing through.
  return app === backend
    ? []
    : [
        `app.baseUrl (${app}) and backend.baseUrl (${backend}) differ: in production the backend serves the app at the portal's URL (app-config.production.yaml reads both from ${FROM_ENV['app.baseUrl']})`,
      ];
}

function signIn(config: Config): string[] {
  const env = config.getOptionalString('auth.environment') ?? 'development';
  const problems: string[] = [];
  if (config.getOptional('auth.providers.guest')) {
    problems.push(
      'auth.providers.guest is set: the guest sign-in is for local development only (app-config.production.yaml sets guest: null)',
    );
  }
  // A provider counts as configured when any of its required keys is set (the overlay's own
  // settings, such as prompt, do not make one).
  const configured = Object.keys(PROVIDER_KEYS).filter(id =>
    PROVIDER_KEYS[id].some(key =>
      config.getOptionalString(`auth.providers.${id}.${env}.${key}`),
    ),
  );
  if (configured.length === 0) {
    problems.push(
      `auth.providers has no sign-in provider for auth.environment '${env}': configure auth.providers.oidc.${env} or auth.providers.github.${env}`,
    );
  }
  for (const id of configured) {
    for (const key of PROVIDER_KEYS[id]) {
      const path = `auth.providers.${id}.${env}.${key}`;
      if (!config.getOptionalString(path)) problems.push(notSet(path));
    }
  }
  // The OIDC sign-in keeps its state (nonce, PKCE verifier) in a session between the redirect
  // to the identity provider and the way back.
  if (
    configured.includes('oidc') &&
    !config.getOptionalString('auth.session.secret')
  ) {
    problems.push(notSet('auth.session.secret'));
  }
  return problems;
}

function environmentsAndAccounts(config: Config): string[] {
  const environments =
    config.getOptionalConfigArray('ecsDeploy.environments') ?? [];
  if (environments.length === 0) {
    return [
      'ecsDeploy.environments is empty: list the ECS environments (name, region, cluster, accountId)',
    ];
  }
  const accounts = new Set(
    (config.getOptionalConfigArray('aws.accounts') ?? []).map(a =>
      a.getString('accountId'),
    ),
  );
  const defaultRole = config.getOptionalString('aws.accountDefaults.roleName');
  const problems: string[] = [];
  /** Environments by an account without credentials. */
  const uncovered = new Map<string, string[]>();
  environments.forEach((environment, index) => {
    const name = environment.getOptionalString('name') ?? `#${index}`;
    const accountId = environment.getOptionalString('accountId');
    if (!accountId) {
      problems.push(
        `ecsDeploy.environments[${index}].accountId is not set (environment ${name}): name its AWS account; credentials come from aws.accounts`,
      );
    } else if (!accounts.has(accountId) && !defaultRole) {
      uncovered.set(accountId, [...(uncovered.get(accountId) ?? []), name]);
    }
  });
  for (const [accountId, names] of uncovered) {
    problems.push(
      `aws.accounts has no entry for account ${accountId} (${
        names.length > 1 ? 'environments' : 'environment'
      } ${names.join(
        ', ',
      )}): add { accountId: '${accountId}', roleName: <the role the portal assumes> }`,
    );
  }
  return problems;
}

/**
 * What is missing or local in a production configuration, one line per problem, each starting
 * with the configuration key; empty when the configuration may start.
 */
export function checkProductionSettings(config: Config): string[] {
  return [
    ...database(config),
    ...cache(config),
    ...baseUrls(config),
    ...signIn(config),
    ...environmentsAndAccounts(config),
  ];
}
