import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import { checkProductionSettings } from './checkProductionSettings';

const root = path.resolve(__dirname, '../../../../..');

/** What a production environment sets (app-config.production.yaml's variables). */
const PRODUCTION_ENV: Record<string, string> = {
  APP_BASE_URL: 'https://portal.acme.example',
  POSTGRES_HOST: 'db.acme.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'portal',
  POSTGRES_PASSWORD: 'secret',
  REDIS_URL: 'rediss://cache.acme.internal:6379',
  AUTH_SESSION_SECRET: 'a session secret',
  OIDC_METADATA_URL: 'https://id.acme.example/.well-known/openid-configuration',
  OIDC_CLIENT_ID: 'portal',
  OIDC_CLIENT_SECRET: 'client secret',
  TERRAFORM_STATE_BUCKET: 'acme-terraform-state',
};

/** The company's own part: environments and accounts (a file of theirs, or APP_CONFIG_ variables). */
const COMPANY = {
  ecsDeploy: {
    environments: [
      {
        name: 'staging',
        region: 'eu-west-1',
        cluster: 'acme-staging',
        accountId: '111111111111',
      },
      {
        name: 'prod',
        region: 'eu-west-1',
        cluster: 'acme-prod',
        accountId: '222222222222',
      },
    ],
  },
  aws: {
    accounts: [
      { accountId: '111111111111', roleName: 'backstage-ecs-deploy' },
      { accountId: '222222222222', roleName: 'backstage-ecs-deploy' },
    ],
  },
};

/**
 * app-config.yaml + app-config.production.yaml as Backstage loads them (objects merged, arrays
 * replaced, missing variables dropping their key), then the company's part.
 */
async function production(
  env: Record<string, string>,
  company: object = COMPANY,
) {
  const saved = { ...process.env };
  for (const key of Object.keys(PRODUCTION_ENV)) delete process.env[key];
  Object.assign(process.env, env);
  try {
    const { appConfigs } = await loadConfig({
      configRoot: root,
      configTargets: ['app-config.yaml', 'app-config.production.yaml'].map(
        f => ({ path: path.join(root, f) }),
      ),
    });
    return ConfigReader.fromConfigs([
      ...appConfigs,
      { context: 'company', data: company as any },
    ]);
  } finally {
    process.env = saved;
  }
}

const without = (key: string) => {
  const { [key]: _, ...rest } = PRODUCTION_ENV;
  return rest;
};

describe('checkProductionSettings on app-config.yaml + app-config.production.yaml', () => {
  it('passes a complete production configuration', async () => {
    expect(checkProductionSettings(await production(PRODUCTION_ENV))).toEqual(
      [],
    );
  });

  it.each([
    [
      'POSTGRES_HOST',
      'backend.database.connection.host is not set (app-config.production.yaml reads it from POSTGRES_HOST)',
    ],
    [
      'REDIS_URL',
      'backend.cache.connection is not set (app-config.production.yaml reads it from REDIS_URL)',
    ],
    [
      'AUTH_SESSION_SECRET',
      'auth.session.secret is not set (app-config.production.yaml reads it from AUTH_SESSION_SECRET)',
    ],
    [
      'OIDC_CLIENT_SECRET',
      'auth.providers.oidc.production.clientSecret is not set (app-config.production.yaml reads it from OIDC_CLIENT_SECRET)',
    ],
    [
      'OIDC_METADATA_URL',
      'auth.providers.oidc.production.metadataUrl is not set (app-config.production.yaml reads it from OIDC_METADATA_URL)',
    ],
  ])('without %s: one line naming the key', async (variable, line) => {
    expect(
      checkProductionSettings(await production(without(variable))),
    ).toEqual([line]);
  });

  it('without APP_BASE_URL: the local default’s URLs do not pass for the portal’s', async () => {
    expect(
      checkProductionSettings(await production(without('APP_BASE_URL'))),
    ).toEqual([
      "app.baseUrl (http://localhost:3000) and backend.baseUrl (http://localhost:7007) differ: in production the backend serves the app at the portal's URL (app-config.production.yaml reads both from APP_BASE_URL)",
    ]);
  });

  it('does not inherit the demo’s environments: without the company’s part, none is left', async () => {
    expect(
      checkProductionSettings(await production(PRODUCTION_ENV, {})),
    ).toEqual([
      'ecsDeploy.environments is empty: list the ECS environments (name, region, cluster, accountId)',
    ]);
  });

  it('leaves nothing of the local default: no emulator account, demo catalog, localhost CORS, guest or polling index', async () => {
    const config = await production(PRODUCTION_ENV, {});
    expect(config.getOptional('aws.accounts')).toEqual([]);
    expect(config.getOptional('ecsDeploy.environments')).toEqual([]);
    expect(config.getOptional('catalog.locations')).toEqual([]);
    expect(config.getString('backend.cors.origin')).toBe(
      'https://portal.acme.example',
    );
    expect(config.getOptional('auth.providers.guest')).toBeUndefined();
    // The local polling warm index: production's is the plugin's default (on with events).
    expect(config.getOptional('ecsDeploy.index')).toBeUndefined();
    expect(JSON.stringify(config.get())).not.toMatch(
      /123456789012|127\.0\.0\.1|localhost/,
    );
  });

  it('without the provider’s settings: one line, no sign-in provider', async () => {
    const env = Object.fromEntries(
      Object.entries(PRODUCTION_ENV).filter(([k]) => !k.startsWith('OIDC_')),
    );
    expect(checkProductionSettings(await production(env))).toEqual([
      "auth.providers has no sign-in provider for auth.environment 'production': configure auth.providers.oidc.production or auth.providers.github.production",
    ]);
  });

  it('names an account without credentials once, with its environments', async () => {
    const company = {
      ecsDeploy: {
        environments: COMPANY.ecsDeploy.environments.map(e => ({
          ...e,
          accountId: '111111111111',
        })),
      },
      aws: { accounts: [] },
    };
    expect(
      checkProductionSettings(await production(PRODUCTION_ENV, company)),
    ).toEqual([
      "aws.accounts has no entry for account 111111111111 (environments staging, prod): add { accountId: '111111111111', roleName: <the role the portal assumes> }",
    ]);
  });

  it('names an environment whose account has no credentials, and one without an account', async () => {
    const company = {
      ecsDeploy: {
        environments: [
          ...COMPANY.ecsDeploy.environments,
          {
            name: 'dr',
            region: 'eu-central-1',
            cluster: 'acme-dr',
            accountId: '333333333333',
          },
          { name: 'sandbox', region: 'eu-west-1', cluster: 'acme-sandbox' },
        ],
      },
      aws: COMPANY.aws,
    };
    expect(
      checkProductionSettings(await production(PRODUCTION_ENV, company)),
    ).toEqual([
      'ecsDeploy.environments[3].accountId is not set (environment sandbox): name its AWS account; credentials come from aws.accounts',
      "aws.accounts has no entry for account 333333333333 (environment dr): add { accountId: '333333333333', roleName: <the role the portal assumes> }",
    ]);
  });

  it('takes a default role for every account (aws.accountDefaults) as credentials', async () => {
    const company = {
      ecsDeploy: COMPANY.ecsDeploy,
      aws: { accountDefaults: { roleName: 'backstage-ecs-deploy' } },
    };
    expect(
      checkProductionSettings(await production(PRODUCTION_ENV, company)),
    ).toEqual([]);
  });
});

describe('checkProductionSettings on the local default alone', () => {
  it('names every local default a production start would run on', () => {
    const local = new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl: 'http://localhost:7007',
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      auth: { providers: { guest: { userEntityRef: 'user:default/alice' } } },
      ...COMPANY,
    });
    expect(checkProductionSettings(local)).toEqual([
      "backend.database.client is 'better-sqlite3': production runs on PostgreSQL (client: pg), shared by every replica",
      "backend.cache.store is 'memory': replicas share the status cache in Redis (store: redis)",
      "app.baseUrl (http://localhost:3000) and backend.baseUrl (http://localhost:7007) differ: in production the backend serves the app at the portal's URL (app-config.production.yaml reads both from APP_BASE_URL)",
      'auth.providers.guest is set: the guest sign-in is for local development only (app-config.production.yaml sets guest: null)',
      "auth.providers has no sign-in provider for auth.environment 'development': configure auth.providers.oidc.development or auth.providers.github.development",
    ]);
  });

  it('accepts GitHub sign-in and a PostgreSQL connection string', () => {
    const config = new ConfigReader({
      app: { baseUrl: 'https://portal.acme.example' },
      backend: {
        baseUrl: 'https://portal.acme.example',
        database: { client: 'pg', connection: 'postgresql://portal@db/portal' },
        cache: { store: 'redis', connection: 'rediss://cache:6379' },
      },
      auth: {
        environment: 'production',
        providers: {
          github: { production: { clientId: 'id', clientSecret: 's' } },
        },
      },
      ...COMPANY,
    });
    expect(checkProductionSettings(config)).toEqual([]);
  });
});
