#!/usr/bin/env node
// The production overlay, proven (scripts/test-production.sh builds the bundle and runs this):
// the built backend started with NODE_ENV=production on app-config.yaml + app-config.production.yaml
// + environment variables only, on PostgreSQL and Redis (PRODUCTION_PG_URL, PRODUCTION_REDIS_URL),
// the local OpenID provider, the local LDAP directory (users and groups) and the emulator standing
// for AWS, reached through explicit settings only. Checks that a start without a required setting
// stops with one line naming it; then sign-in through the provider's login form (the OIDC code
// flow over HTTP), status, promote, the follower, notifications, the audit, a team change in the
// directory, and error bodies without stack traces. Ends with "production: N passed, N failed";
// writes $RESULTS_DIR/production.counts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  checkRunner,
  describeDeployed,
  ecsClient,
  eventually,
  freePort,
  repoRoot,
  seedService,
  signInWithOidc,
  startBackend,
  startDirectory,
  startEmulator,
  startOidcProvider,
  unpackBundle,
} from '@internal/dev-kit';

const root = repoRoot();
const work = path.join(root, '.run/production');
const checks = checkRunner('production');
// Not the emulator's default account nor the demo's region: nothing of app-config.yaml fits.
const ACCOUNT = '210987654321';
const REGION = 'eu-west-1';
const CLUSTERS = { staging: 'acme-staging', prod: 'acme-prod' };
const SERVICES = {
  'payments-api': [
    'ghcr.io/acme/payments-api:1.4.0',
    'ghcr.io/acme/payments-api:1.3.2',
  ],
  'search-indexer': [
    'ghcr.io/acme/search-indexer:3.0.0',
    'ghcr.io/acme/search-indexer:2.8.5',
  ],
};
const PROMOTE = {
  type: 'resource',
  name: 'ecs-deploy.service.promote',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
};

const started = [];
const stopAll = async () => {
  for (const s of started.reverse()) await s.stop().catch(() => {});
};

/** Everything production reads from the environment; the company's part as APP_CONFIG_ variables. */
function productionEnv({ emulator, provider, directory, port }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const pg = new URL(process.env.PRODUCTION_PG_URL);
  const environment = (name, extra) => ({
    name,
    region: REGION,
    accountId: ACCOUNT,
    ...extra,
  });
  return {
    NODE_ENV: 'production',
    APP_BASE_URL: baseUrl,
    APP_CONFIG_backend_listen: JSON.stringify({ host: '127.0.0.1', port }),
    POSTGRES_HOST: pg.hostname,
    POSTGRES_PORT: pg.port,
    POSTGRES_USER: decodeURIComponent(pg.username),
    REDIS_URL: process.env.PRODUCTION_REDIS_URL,
    AUTH_SESSION_SECRET: randomBytes(24).toString('hex'),
    OIDC_METADATA_URL: provider.metadataUrl,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    TERRAFORM_STATE_BUCKET: 'acme-terraform-state',
    // The emulator stands for AWS in staging and prod, named explicitly; dr names no endpoint.
    APP_CONFIG_ecsDeploy_environments: JSON.stringify([
      environment('staging', {
        title: 'Staging',
        cluster: CLUSTERS.staging,
        endpoint: emulator.endpoint,
      }),
      environment('prod', {
        title: 'Production',
        cluster: CLUSTERS.prod,
        endpoint: emulator.endpoint,
      }),
      environment('dr', {
        title: 'Disaster recovery',
        region: 'eu-central-1',
        cluster: 'acme-dr',
      }),
    ]),
    APP_CONFIG_aws_accounts: JSON.stringify([
      { accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' },
    ]),
    APP_CONFIG_catalog_locations: JSON.stringify([
      { type: 'file', target: path.join(root, 'catalog/demo/components.yaml') },
    ]),
    APP_CONFIG_catalog_providers_ldapOrg: JSON.stringify({
      default: directory.providerConfig(),
    }),
  };
}

/** Starts the bundle without some variables: it must stop at once, naming the key on one line. */
async function refusesWithout(bundleDir, env, variables, key) {
  const port = await freePort();
  const trimmed = {
    ...process.env,
    ...env,
    APP_BASE_URL: `http://127.0.0.1:${port}`,
  };
  trimmed.APP_CONFIG_backend_listen = JSON.stringify({
    host: '127.0.0.1',
    port,
  });
  for (const v of variables) delete trimmed[v];
  const args = ['app-config.yaml', 'app-config.production.yaml'].flatMap(f => [
    '--config',
    path.join(root, f),
  ]);
  const run = spawnSync(
    process.execPath,
    [path.join(bundleDir, 'packages/backend'), ...args],
    {
      cwd: path.join(bundleDir, 'packages/backend'),
      env: trimmed,
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  const lines = output
    .split('\n')
    .filter(l => l.startsWith('error: production settings:'));
  assert.notEqual(run.status, 0, `it started without ${variables.join(', ')}`);
  assert.equal(
    lines.length,
    1,
    `expected one line, got:\n${lines.join('\n') || output.slice(-800)}`,
  );
  assert.ok(
    lines[0].includes(key),
    `the line does not name ${key}: ${lines[0]}`,
  );
  assert.ok(
    !/\n\s+at /.test(output),
    `a stack trace in:\n${output.slice(-800)}`,
  );
  return lines[0];
}

const api =
  (backend, token) =>
  async (urlPath, init = {}) => {
    const res = await fetch(`${backend.baseUrl}${urlPath}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body && { 'content-type': 'application/json' }),
      },
      body: init.body && JSON.stringify(init.body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };

const noStack = res =>
  assert.ok(
    !/\n\s+at /.test(res.text) && !('stack' in (res.json?.error ?? {})),
    `stack trace in ${res.text.slice(0, 300)}`,
  );

try {
  const bundleDir = unpackBundle(path.join(root, '.run/production-bundle'));
  const port = Number(process.env.PRODUCTION_PORT || (await freePort()));
  const [emulator, provider, directory] = await Promise.all([
    startEmulator({
      rolloutSeconds: 1,
      env: { MOTO_ACCOUNT_ID: ACCOUNT },
      logFile: path.join(work, 'emulator.log'),
    }),
    startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/api/auth/oidc/handler/frame`],
      logFile: path.join(work, 'oidc-provider.log'),
    }),
    startDirectory({
      dir: path.join(work, 'directory'),
      logFile: path.join(work, 'directory.log'),
    }),
  ]);
  started.push(emulator, provider, directory);
  for (const [name, images] of Object.entries(SERVICES)) {
    for (const [i, env] of ['staging', 'prod'].entries()) {
      await seedService(emulator.endpoint, env, name, images[i], {
        cluster: CLUSTERS[env],
        region: REGION,
      });
    }
  }
  const env = productionEnv({ emulator, provider, directory, port });

  for (const [what, variables, key] of [
    [
      'environments',
      ['APP_CONFIG_ecsDeploy_environments'],
      'ecsDeploy.environments',
    ],
    ['accounts', ['APP_CONFIG_aws_accounts'], 'aws.accounts'],
    [
      'sign-in provider',
      ['OIDC_METADATA_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'],
      'auth.providers',
    ],
    [
      'OIDC client secret',
      ['OIDC_CLIENT_SECRET'],
      'auth.providers.oidc.production.clientSecret',
    ],
    ['session secret', ['AUTH_SESSION_SECRET'], 'auth.session.secret'],
    ['database', ['POSTGRES_HOST'], 'backend.database.connection.host'],
    ['cache', ['REDIS_URL'], 'backend.cache.connection'],
    ['portal URL', ['APP_BASE_URL'], 'app.baseUrl'],
  ]) {
    await checks.check(
      `refuses to start without the ${what}, naming ${key} on one line`,
      () => refusesWithout(bundleDir, env, variables, key),
    );
  }

  let backend;
  await checks.check(
    'starts on PostgreSQL, Redis, the OpenID provider, the directory and the emulator',
    async () => {
      const { APP_BASE_URL, APP_CONFIG_backend_listen, ...rest } = env;
      backend = await startBackend({
        name: 'production',
        from: 'bundle',
        production: true,
        bundleDir,
        port,
        dir: work,
        env: rest,
        readyTimeoutMs: 180_000,
      });
      started.push(backend);
    },
  );
  if (!backend) throw new Error('the production backend did not start');

  const signIn = (username, password = `${username}-password`) =>
    signInWithOidc({
      backendUrl: backend.baseUrl,
      env: 'production',
      username,
      password,
    });
  let carol;
  await checks.check(
    'carol signs in through the provider’s login form (the OIDC code flow)',
    async () => {
      // The directory's first read reaches the catalog a few seconds after the start.
      carol = await eventually(
        'carol is in the catalog and signs in',
        async () => {
          try {
            return await signIn('carol');
          } catch (e) {
            if (/no user in the catalog/.test(e.message)) return undefined;
            throw e;
          }
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      assert.equal(carol.userEntityRef, 'user:default/carol');
      assert.deepEqual(carol.ownershipEntityRefs.sort(), [
        'group:default/team-search',
        'user:default/carol',
      ]);
    },
  );
  await checks.check(
    'a wrong password stops at the provider; erin, unknown to the catalog, is refused',
    async () => {
      await assert.rejects(
        signIn('carol', 'wrong'),
        /identity provider refused carol: Wrong user name or password/,
      );
      await assert.rejects(
        signIn('erin'),
        /Sign-in refused: no user in the catalog has the email erin@example\.com or the user name erin/,
      );
    },
  );
  const asCarol = api(backend, carol.token);

  await checks.check(
    'takes nothing from the local default: its environments, catalog, guest or CORS',
    async () => {
      const info = await asCarol('/api/ecs-deploy/info');
      assert.deepEqual(
        info.json.environments.map(e => e.name),
        ['staging', 'prod', 'dr'],
        info.text,
      );
      const alice = await asCarol(
        '/api/catalog/entities/by-name/user/default/alice',
      );
      assert.match(
        alice.json.metadata.annotations['backstage.io/managed-by-location'],
        /^ldap:\/\//,
      );
      const guest = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      assert.equal(guest.status, 404, 'the guest provider answers');
      const preflight = origin =>
        fetch(`${backend.baseUrl}/api/catalog/entities`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        }).then(r => r.headers.get('access-control-allow-origin'));
      assert.equal(
        await preflight('http://localhost:3000'),
        null,
        'localhost:3000 is allowed',
      );
      assert.equal(await preflight(backend.baseUrl), backend.baseUrl);
    },
  );

  await checks.check(
    'the app it serves offers single sign-on only, and none of its settings',
    async () => {
      const html = await (await fetch(`${backend.baseUrl}/`)).text();
      const injected =
        /<script type="backstage.io\/config">([\s\S]*?)<\/script>/.exec(
          html,
        )?.[1];
      assert.ok(injected, 'no configuration in the served index.html');
      const providers = Object.assign(
        {},
        ...JSON.parse(injected).map(layer => layer.data?.auth?.providers ?? {}),
      );
      assert.deepEqual(providers, { oidc: {} }, injected);
      for (const secret of [
        env.OIDC_CLIENT_SECRET,
        env.AUTH_SESSION_SECRET,
        directory.bindPassword,
      ]) {
        assert.ok(!injected.includes(secret), 'a secret reaches the browser');
      }
    },
  );

  await checks.check(
    'status: staging and prod from the emulator; dr, without an endpoint, from AWS',
    async () => {
      const status = await eventually(
        'a status with all three environments',
        async () => {
          const res = await asCarol(
            '/api/ecs-deploy/entities/component/default/search-indexer/status',
          );
          return res.status === 200 && res.json;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      const byName = Object.fromEntries(
        status.environments.map(e => [e.environment, e]),
      );
      assert.match(
        JSON.stringify(byName.staging.service),
        /search-indexer:3\.0\.0/,
      );
      assert.match(
        JSON.stringify(byName.prod.service),
        /search-indexer:2\.8\.5/,
      );
      // No emulator behind dr: the SDK went to AWS's own endpoint, which this machine cannot reach.
      assert.ok(
        byName.dr.error,
        `dr answered without an error: ${JSON.stringify(byName.dr)}`,
      );
      assert.match(
        byName.dr.error.message,
        /amazonaws\.com/,
        byName.dr.error.message,
      );
      assert.doesNotMatch(byName.dr.error.message, /127\.0\.0\.1|localhost/);
      return `dr: ${byName.dr.error.message}`;
    },
  );

  let promotedAt;
  await checks.check(
    'carol promotes search-indexer (her team’s) from staging to prod',
    async () => {
      const res = await eventually(
        'the promotion is accepted (staging settled)',
        async () => {
          const r = await asCarol(
            '/api/ecs-deploy/entities/component/default/search-indexer/promotions',
            {
              method: 'POST',
              body: { from: 'staging', to: 'prod', reason: 'production test' },
            },
          );
          return r.status === 201
            ? r
            : r.status === 409
            ? undefined
            : assert.fail(`${r.status} ${r.text}`);
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      promotedAt = Date.now();
      const prod = await describeDeployed(
        ecsClient(emulator.endpoint, REGION),
        CLUSTERS.prod,
        'search-indexer',
      );
      assert.match(
        prod.containers[0].image,
        /search-indexer:3\.0\.0/,
        JSON.stringify(res.json),
      );
    },
  );

  await checks.check(
    'the follower sees the rollout through: rolled-out, in the audit',
    async () => {
      const row = await eventually(
        'the promotion rolled out',
        async () => {
          const res = await asCarol(
            '/api/ecs-deploy/entities/component/default/search-indexer/history',
          );
          return res.json?.items?.find(
            r => r.action === 'promote' && r.outcome === 'rolled-out',
          );
        },
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
      assert.equal(row.actor, 'user:default/carol');
      assert.equal(row.result, 'succeeded');
      return `rolled out ${((Date.now() - promotedAt) / 1000).toFixed(
        1,
      )} s after the promotion was accepted`;
    },
  );

  await checks.check('carol is notified that it rolled out', async () => {
    await eventually(
      'the notification',
      async () => {
        const res = await asCarol('/api/notifications/notifications');
        return res.json?.notifications?.some(n =>
          /search-indexer.*rolled out/.test(n.payload.title),
        );
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  await checks.check(
    'payments-api is not carol’s: 403 naming why, audited as denied, without a stack trace',
    async () => {
      const res = await asCarol(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
        {
          method: 'POST',
          body: { from: 'staging', to: 'prod' },
        },
      );
      assert.equal(res.status, 403, res.text);
      noStack(res);
      const history = await asCarol(
        '/api/ecs-deploy/entities/component/default/payments-api/history',
      );
      assert.ok(
        history.json.items.some(
          r => r.actor === 'user:default/carol' && r.result === 'denied',
        ),
        history.text,
      );
    },
  );

  await checks.check('error bodies carry no stack trace', async () => {
    for (const [urlPath, status] of [
      ['/api/ecs-deploy/entities/component/default/pay%20ments/status', 400],
      [
        '/api/ecs-deploy/entities/component/default/no-such-service/status',
        404,
      ],
    ]) {
      const res = await asCarol(urlPath);
      assert.equal(res.status, status, res.text);
      noStack(res);
    }
    const unauthenticated = await api(
      backend,
      'not-a-token',
    )('/api/catalog/entities');
    assert.equal(unauthenticated.status, 401);
    noStack(unauthenticated);
  });

  await checks.check(
    'moving carol to team-payments in the directory changes what she may promote within one refresh',
    async () => {
      const decide = async () =>
        (
          await asCarol('/api/permission/authorize', {
            method: 'POST',
            body: {
              items: [
                {
                  id: 'p',
                  permission: PROMOTE,
                  resourceRef: 'component:default/payments-api',
                },
              ],
            },
          })
        ).json.items[0].result;
      assert.equal(await decide(), 'DENY');
      directory.moveUser('carol', 'team-search', 'team-payments');
      const trigger = await asCarol(
        '/api/catalog/.backstage/scheduler/v1/tasks/LdapOrgEntityProvider:default:refresh/trigger',
        { method: 'POST' },
      );
      assert.equal(trigger.status, 200, trigger.text);
      await eventually(
        'the catalog has carol in team-payments',
        async () => {
          const user = await asCarol(
            '/api/catalog/entities/by-name/user/default/carol',
          );
          return user.json?.relations?.some(
            r =>
              r.type === 'memberOf' &&
              r.targetRef === 'group:default/team-payments',
          );
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      // The same token, issued while she was in team-search: the catalog decides, not its claims.
      assert.equal(await decide(), 'ALLOW');
    },
  );

  await checks.check('the log holds no secret and no token', () => {
    const log = backend.log();
    for (const secret of [
      env.OIDC_CLIENT_SECRET,
      env.AUTH_SESSION_SECRET,
      directory.bindPassword,
      carol.token,
    ]) {
      assert.ok(!log.includes(secret), 'a secret is in the log');
    }
  });
} catch (e) {
  checks.fail('setup', e);
} finally {
  await stopAll();
  process.exit(checks.finish() ? 0 : 1);
}
