#!/usr/bin/env node
// Load and fault suite (issue 7), loopback only and bounded in time:
//  - 50 concurrent viewers on a team view: no errors, ECS call rate independent of the viewer count
//  - throttling and 5xx injected in front of ECS: retried, served stale with a marker, no crash
//  - the emulator stopped mid-run: per-environment errors, backend up, recovery when it is back
//  - UpdateService failing after RegisterTaskDefinition: failure audited, nothing left that blocks
//  - two backend replicas (separate processes) on one PostgreSQL: 100 promotions of one entity and
//    100 over ten entities → each entity promoted exactly once, every attempt audited
// Ends with "load-faults: N passed, N failed"; writes "N M" to $RESULTS_DIR/load-faults.counts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import {
  TEST_ACCOUNT,
  benchEnvironments,
  checkRunner,
  describeDeployed,
  ecsClient,
  eventually,
  freePort,
  repoRoot,
  seedService,
  sleep,
  startAwsProxy,
  startBackend,
  startEmulator,
  teamCatalog,
  withoutThrottling,
} from '@internal/dev-kit';

const root = repoRoot();
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const VIEWERS = 50;
const runDir = path.join(root, '.run/load-faults');
mkdirSync(runDir, { recursive: true });
const postgres = (action, port) =>
  execFileSync('scripts/postgres.sh', [action], {
    cwd: root,
    env: { ...process.env, PG_PORT: String(port) },
    encoding: 'utf8',
  }).trim();
const checks = checkRunner('load-faults');

const LOAD = Array.from(
  { length: 20 },
  (_, i) => `load-${String(i).padStart(2, '0')}`,
);
const PROMO = Array.from({ length: 10 }, (_, i) => `promo-${i}`);
const SOLO = 'promo-solo';
// Not 'broken': the emulator fails to pull images whose name says so (emulator/README.md).
const BROKEN = 'promo-failing';
const ALL = [...LOAD, ...PROMO, SOLO, BROKEN];
const image = (name, v) => `ghcr.io/acme/${name}:${v}`;

async function seed(endpoint) {
  for (const env of ['staging', 'prod']) {
    await Promise.all(
      ALL.map(name =>
        seedService(
          endpoint,
          env,
          name,
          image(name, env === 'staging' ? '2.0.0' : '1.0.0'),
          { cluster: `lf-${env}` },
        ),
      ),
    );
  }
}

const pgPort = await freePort();
const backends = [];
let emulator;
let proxy;
try {
  emulator = await startEmulator();
  proxy = await startAwsProxy({ target: emulator.endpoint });
  const ecs = ecsClient(emulator.endpoint);
  await withoutThrottling(emulator.endpoint, () => seed(emulator.endpoint));
  const pgUrl = postgres('start', pgPort);
  const catalog = path.join(runDir, 'entities.yaml');
  writeFileSync(catalog, teamCatalog('team-load', ALL, ['loader']));
  // Start the replicas one after the other (the first runs the migrations).
  for (const replica of ['a', 'b']) {
    backends.push(
      await startBackend({
        name: `load-faults-${replica}`,
        dir: runDir,
        // STS and the main account's keys (these environments are in the emulator's main account).
        awsEndpoint: emulator.endpoint,
        env: { LOG_LEVEL: 'warn' },
        config: {
          backend: { database: { client: 'pg', connection: pgUrl } },
          auth: {
            providers: {
              guest: {
                userEntityRef: 'user:default/loader',
                ownershipEntityRefs: [
                  'user:default/loader',
                  'group:default/team-load',
                ],
              },
            },
          },
          catalog: { locations: [{ type: 'file', target: catalog }] },
          ecsDeploy: {
            // Both in the main account: the suite restarts the emulator, which then forgets the
            // sessions the backend assumed and still uses (moto maps keys it does not know to
            // the main account).
            environments: benchEnvironments(proxy.endpoint, 'lf', {
              staging: TEST_ACCOUNT,
              prod: TEST_ACCOUNT,
            }),
            promotionPaths: [
              { from: 'staging', to: 'prod', requireHealthySource: false },
            ],
            cache: { statusTtl: { seconds: 2 }, staleTtl: { seconds: 600 } },
            aws: { maxAttempts: 5 },
            // The polling path is checked (stale only with an error, calls per TTL): no warm index.
            index: { enabled: false },
          },
        },
      }),
    );
  }
  const tokens = await Promise.all(backends.map(b => b.guestToken()));
  const call = async (i, method, url, body) => {
    const r = await backends[i % 2].request(`/api/ecs-deploy${url}`, {
      method,
      body,
      token: tokens[i % 2],
    });
    return { status: r.status, body: r.json };
  };
  const team = '/teams/default/team-load/status';
  await eventually(
    'the catalog with every component',
    async () => {
      const r = await call(0, 'GET', team);
      return r.status === 200 && r.body.rows.length === ALL.length;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );

  const viewers = async (count, seconds) => {
    proxy.reset();
    let requests = 0;
    const errors = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: count }, async (_, v) => {
        while (Date.now() < until) {
          const r = await call(v, 'GET', team).catch(e => ({
            status: 0,
            body: e.message,
          }));
          requests++;
          if (r.status !== 200) errors.push(r.status);
          else if (count > 1) await sleep(200); // a viewer re-polls, it does not hammer
        }
      }),
    );
    return { requests, errors, ecsPerSecond: proxy.total() / seconds };
  };

  await checks.check(
    `${VIEWERS} concurrent viewers for ${LOAD_SECONDS} s on two replicas: no errors, ECS call rate independent of viewers`,
    async () => {
      // Baseline: one viewer on each replica.
      const few = await viewers(2, 15);
      const many = await viewers(VIEWERS, LOAD_SECONDS);
      assert.ok(
        few.errors.length === 0 && many.errors.length === 0,
        `errors: ${many.errors.slice(0, 5)}`,
      );
      // Each replica refreshes each environment at most once per TTL, whatever the number of viewers.
      assert.ok(
        many.ecsPerSecond <= few.ecsPerSecond * 1.25 + 0.5,
        `ECS calls/s grew from ${few.ecsPerSecond.toFixed(
          2,
        )} to ${many.ecsPerSecond.toFixed(2)}`,
      );
      return `2 viewers: ${
        few.requests
      } requests, ECS ${few.ecsPerSecond.toFixed(
        2,
      )} calls/s; ${VIEWERS} viewers: ${many.requests} requests (${(
        many.requests / LOAD_SECONDS
      ).toFixed(1)}/s), ECS ${many.ecsPerSecond.toFixed(2)} calls/s`;
    },
  );

  for (const kind of ['throttle', '5xx']) {
    await checks.check(
      `${
        kind === 'throttle' ? 'throttling' : '5xx'
      } from ECS on 40% of calls: retried or served stale with a marker, never an error`,
      async () => {
        proxy.setFault({ kind, rate: 0.4 });
        let stale = 0;
        let fresh = 0;
        const until = Date.now() + 12_000;
        while (Date.now() < until) {
          const r = await call(fresh + stale, 'GET', team);
          assert.equal(r.status, 200);
          for (const row of r.body.rows) {
            for (const cell of Object.values(row.environments)) {
              assert.notEqual(
                cell.health,
                'unknown',
                `${row.entityRef}: unknown (${cell.error?.message})`,
              );
              if (cell.stale) {
                assert.ok(cell.error, 'stale without error');
                stale++;
              } else fresh++;
            }
          }
          await sleep(300);
        }
        proxy.setFault(null);
        return `${fresh} fresh cells, ${stale} stale cells marked with the error`;
      },
    );
  }

  await checks.check(
    'emulator stopped mid-run: per-environment errors, backend stays up, recovers when it is back',
    async () => {
      await emulator.stop();
      let down;
      try {
        await sleep(2500); // past the status TTL
        // The first read past the TTL is answered from the cache while ECS is asked in the
        // background; once that read fails, every reader gets the last state marked stale.
        down = await eventually(
          'per-environment errors while the emulator is down',
          async () => {
            const res = await call(
              0,
              'GET',
              '/entities/component/default/load-00/status',
            );
            assert.equal(res.status, 200);
            return res.body.environments.every(env => env.error && env.stale)
              ? res
              : undefined;
          },
          { timeoutMs: 20_000, intervalMs: 500 },
        );
        const health = await fetch(
          `${backends[0].baseUrl}/.backstage/health/v1/readiness`,
        );
        assert.ok(health.ok, 'backend not ready while the emulator is down');
      } finally {
        // Back for the checks that follow, whatever happened above.
        emulator = await startEmulator({ port: emulator.port });
        await withoutThrottling(emulator.endpoint, () =>
          seed(emulator.endpoint),
        );
      }
      const back = await eventually(
        'recovery once the emulator is back',
        async () => {
          const res = await call(
            0,
            'GET',
            '/entities/component/default/load-00/status',
          );
          return res.body.environments.every(
            env => !env.error && !env.stale && env.service,
          )
            ? res
            : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      assert.ok(back.body.environments.length > 0);
      return `while down: "${down.body.environments[0].error.message}"`;
    },
  );

  await checks.check(
    'UpdateService failing after RegisterTaskDefinition: audited as failed, nothing left that blocks the next attempt',
    async () => {
      // After the emulator's restart its tasks start again: the promotion's pre-flight needs a
      // running staging task reporting the image's digest before the fault is worth injecting.
      let preview;
      await eventually(
        `the preview of ${BROKEN} allows the promotion`,
        async () => {
          preview = await call(
            0,
            'GET',
            `/entities/component/default/${BROKEN}/promotions/preview?from=staging&to=prod`,
          );
          return preview.status === 200 && preview.body.allowed === true;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      ).catch(error => {
        throw new Error(
          `${error.message}: ${JSON.stringify(preview?.body).slice(0, 600)}`,
        );
      });
      proxy.setFault({ kind: '5xx', rate: 1, action: 'UpdateService' });
      const failedAttempt = await call(
        0,
        'POST',
        `/entities/component/default/${BROKEN}/promotions`,
        { from: 'staging', to: 'prod' },
      );
      proxy.setFault(null);
      assert.equal(
        failedAttempt.status,
        503,
        JSON.stringify(failedAttempt.body).slice(0, 300),
      );
      const families = await ecs.send(
        new ListTaskDefinitionsCommand({
          familyPrefix: `${BROKEN}-prod`,
          status: 'ACTIVE',
        }),
      );
      assert.equal(
        families.taskDefinitionArns.length,
        1,
        `orphan revisions: ${families.taskDefinitionArns}`,
      );
      const history = await call(
        1,
        'GET',
        `/entities/component/default/${BROKEN}/history`,
      );
      assert.equal(
        history.body.items[0].result,
        'failed',
        JSON.stringify(history.body.items[0]),
      );
      const retry = await call(
        1,
        'POST',
        `/entities/component/default/${BROKEN}/promotions`,
        { from: 'staging', to: 'prod' },
      );
      assert.equal(retry.status, 201, JSON.stringify(retry.body).slice(0, 300));
      return `first attempt: ${failedAttempt.body.error.message}`;
    },
  );

  const promoteMany = async (names, attempts) => {
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        call(
          i,
          'POST',
          `/entities/component/default/${names[i % names.length]}/promotions`,
          { from: 'staging', to: 'prod' },
        ),
      ),
    );
    for (const name of names) {
      const mine = results.filter((_, i) => names[i % names.length] === name);
      const ok = mine.filter(r => r.status === 201).length;
      const conflicts = mine.filter(r => r.status === 409).length;
      const odd = mine.find(r => r.status !== 201 && r.status !== 409);
      assert.ok(
        ok === 1 && conflicts === mine.length - 1,
        `${name}: ${ok} succeeded, statuses ${[
          ...new Set(mine.map(r => r.status)),
        ]} ${odd ? JSON.stringify(odd.body?.error?.message) : ''}`,
      );
      const prod = await describeDeployed(ecs, 'lf-prod', name);
      // Staging's image, pinned to the digest its running tasks resolved (the emulator runs them).
      assert.match(
        prod.containers[0].image,
        new RegExp(`^${image(name, '2.0.0')}(@sha256:[0-9a-f]{64})?$`),
      );
      const history = await call(
        0,
        'GET',
        `/entities/component/default/${name}/history?limit=500`,
      );
      assert.equal(
        history.body.items.length,
        mine.length,
        `${name}: audit rows for ${mine.length} attempts`,
      );
      assert.equal(
        history.body.items.filter(h => h.result === 'succeeded').length,
        1,
        `${name}: succeeded rows`,
      );
    }
  };

  await checks.check(
    'two replicas, one PostgreSQL: 100 promotions of one entity → exactly one, 100 audit rows',
    () => promoteMany([SOLO], 100),
  );
  await checks.check(
    'two replicas, one PostgreSQL: 100 promotions over ten entities → each exactly once, every attempt audited',
    () => promoteMany(PROMO, 100),
  );

  await checks.check('both replicas still serve after the suite', async () => {
    for (const i of [0, 1]) {
      const r = await call(i, 'GET', team);
      assert.equal(r.status, 200, `replica ${i}`);
    }
  });
} catch (e) {
  checks.fail('setup', e);
} finally {
  await Promise.all(backends.map(b => b.stop()));
  await proxy?.close();
  await emulator?.stop();
  postgres('stop', pgPort);
  process.exit(checks.finish() ? 0 : 1);
}
