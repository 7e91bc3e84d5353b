// The production test's checks on a started portal: sign-in through the provider's login form,
// what it takes from the local default (nothing), status, promote, the follower,
// notifications, the audit, error bodies, a team change in the directory, the log.
import assert from 'node:assert/strict';
import {
  describeDeployed,
  ecsClient,
  eventually,
  signInWithOidc,
} from '@internal/dev-kit';
import { CLUSTERS, REGION } from './stack.mjs';

const PROMOTE = {
  type: 'resource',
  name: 'ecs-deploy.target.promote',
  attributes: { action: 'update' },
  resourceType: 'ecs-deploy-target',
};

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

export async function portalChecks(
  checks,
  { backend, emulator, provider, directory, env },
) {
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
                  resourceRef: 'component:default/payments-api@prod',
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
      // The same token, issued while she was in team-search: the ECS deploy backend decides on
      // team-payments' members as the catalog has them, not on the token's claims.
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
}
