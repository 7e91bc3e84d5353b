#!/usr/bin/env node
// Scale benchmark (yarn bench:scale): two backend replicas on PostgreSQL + Redis in front of the
// emulator behind a counting proxy, 1,000 services in each of staging and prod across 10 teams
// (staging and prod each in its own account, reached through the portal role as app-config.yaml
// configures it).
// Prints AWS calls and latency for: the team view (200 × 2) on a replica whose peer already read
// the task definitions, the org view (1,000 × 2) cold and warm, 200 entity pages at concurrency 10,
// a promotion through A seen by B, 50 viewers for a bounded time over both replicas, and a deploy
// day in miniature (promotions and rollbacks through both replicas). Loopback only, free ports.
// Knobs: BENCH_SERVICES (1000), BENCH_TEAMS (10), BENCH_TTL_SECONDS (10), BENCH_VIEWERS (50),
// BENCH_SECONDS (60), BENCH_DEPLOY_SERVICES (100), BENCH_ROLLOUT_SECONDS (1). Ports: PG_PORT
// (5493), REDIS_PORT (6393).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  benchEnvironments,
  catalogHolds,
  createLocalAccounts,
  percentile,
  repoRoot,
  seedService,
  sleep,
  startAwsProxy,
  startBackend,
  startEmulator,
  withoutThrottling,
} from '@internal/dev-kit';
import { catalogFile, sharedBackend, deployDay, viewers } from './scaleLib.mjs';

const N = Number(process.env.BENCH_SERVICES ?? 1000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 10);
const TTL = Number(process.env.BENCH_TTL_SECONDS ?? 10);
const root = repoRoot();
const runDir = path.join(root, '.run/bench-scale');
mkdirSync(runDir, { recursive: true });
const sh = (cmd, env) =>
  execFileSync(cmd[0], cmd.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  }).trim();

// team-00 holds 200 services (the team view), the other teams share the rest.
const names = Array.from(
  { length: N },
  (_, i) => `svc-${String(i).padStart(4, '0')}`,
);
const teamOf = i =>
  i < Math.min(200, N) ? 0 : 1 + ((i - 200) % Math.max(1, TEAMS - 1));
const pgPort = process.env.PG_PORT ?? '5493';
const redisPort = process.env.REDIS_PORT ?? '6393';
const pgUrl = sh(['scripts/postgres.sh', 'start'], { PG_PORT: pgPort });
const redisUrl = sh(['scripts/redis.sh', 'start'], { REDIS_PORT: redisPort });
const emulator = await startEmulator({
  rolloutSeconds: Number(process.env.BENCH_ROLLOUT_SECONDS ?? 1),
});
const proxy = await startAwsProxy({ target: emulator.endpoint });
const replicas = [];
const line = (...a) => console.log(...a);
const calls = () => JSON.stringify(Object.fromEntries(proxy.counts));
try {
  const seedStart = Date.now();
  const accounts = await createLocalAccounts(emulator.endpoint);
  // Seeding makes thousands of ECS calls: with the emulator's throttling off, which is on
  // again for what is measured.
  await withoutThrottling(emulator.endpoint, async () => {
    for (const env of ['staging', 'prod']) {
      for (let i = 0; i < N; i += 25) {
        await Promise.all(
          names
            .slice(i, i + 25)
            .map(name =>
              seedService(
                emulator.endpoint,
                env,
                name,
                `ghcr.io/acme/${name}:${env === 'prod' ? '1.0.0' : '1.1.0'}`,
                { cluster: `bench-${env}`, credentials: accounts[env] },
              ),
            ),
        );
      }
    }
  });
  line(
    `seeded ${N} services in each of staging and prod in ${
      Date.now() - seedStart
    } ms`,
  );

  const catalog = catalogFile(runDir, names, teamOf, TEAMS);
  const config = {
    backend: sharedBackend(pgUrl, redisUrl),
    catalog: { locations: [{ type: 'file', target: catalog }] },
    ecsDeploy: {
      environments: benchEnvironments(proxy.endpoint, 'bench'),
      promotionPaths: [{ from: 'staging', to: 'prod' }],
      permissions: { adminGroups: ['user:default/alice'] },
      cache: { statusTtl: { seconds: TTL } },
      // Cold views are measured: app-config.yaml's warm index would have read them first.
      index: { enabled: false },
    },
  };
  for (const name of ['a', 'b']) {
    replicas.push(
      await startBackend({
        name: `scale-${name}`,
        dir: runDir,
        // STS and the main account's keys, which assume each environment's portal role.
        awsEndpoint: emulator.endpoint,
        staticTokens: 51,
        config,
        env: { LOG_LEVEL: 'warn' },
      }),
    );
  }
  const [a, b] = replicas;
  await catalogHolds(a, N, { timeoutMs: 600_000, intervalMs: 1000 });
  await sleep(Number(process.env.BENCH_ROLLOUT_SECONDS ?? 1) * 1000 + 1500); // seeded rollouts settle

  const team = '/api/ecs-deploy/teams/default/team-00/status';
  const org = '/api/ecs-deploy/services?limit=50';
  /** AWS calls of `fn`, counted once the background refreshes it started have settled. */
  const measure = async (label, fn) => {
    proxy.reset();
    const t0 = performance.now();
    const result = await fn();
    const ms = performance.now() - t0;
    await sleep(3000);
    line(
      `${label}: ${ms.toFixed(0)} ms, AWS calls ${proxy.total()} ${calls()}`,
    );
    return result;
  };

  let r = await measure('\nteam view (200 services × 2), cold on A', () =>
    a.request(team),
  );
  await sleep(TTL * 1000 + 200);
  await measure(
    'team view after the TTL on B, whose peer A read the task definitions (served at once, refreshed behind)',
    () => b.request(team),
  );
  await measure('team view warm on A', () => a.request(team));

  // People opening entity pages at the same moment: services nobody has read yet.
  const pages = names.slice(200, 400);
  const latencies = [];
  await measure(
    '\n200 entity pages at concurrency 10 (cold; DescribeServices batched across requests)',
    async () => {
      for (let i = 0; i < pages.length; i += 10) {
        const batch = await Promise.all(
          pages
            .slice(i, i + 10)
            .map((n, j) =>
              (j % 2 ? a : b).request(
                `/api/ecs-deploy/entities/component/default/${n}/status`,
              ),
            ),
        );
        latencies.push(...batch.map(x => x.ms));
      }
    },
  );
  line(
    `  entity page p50 ${percentile(latencies, 50).toFixed(
      0,
    )} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`,
  );

  r = await measure(
    '\norg view (1,000 services × 2), cold on B (most task definitions never read)',
    () => b.request(org),
  );
  line(
    `  ${r.json.total} services, ${
      r.json.rows.filter(x => Object.values(x.environments).some(c => c.error))
        .length
    } of the first page with an error`,
  );
  const warm = [];
  for (let i = 0; i < 10; i++)
    warm.push((await (i % 2 ? a : b).request(`${org}&offset=${i * 50}`)).ms);
  line(
    `org view warm (10 pages over both replicas): p50 ${percentile(
      warm,
      50,
    ).toFixed(0)} ms, max ${Math.max(...warm).toFixed(0)} ms`,
  );
  await sleep(4 * TTL * 1000 + 500); // past the serve-while-refreshing window: a reader waits for ECS
  await measure(
    'org view with the status expired and the task definitions cached (a restart, or an idle hour)',
    () => b.request(org),
  );
  await sleep(TTL * 1000 + 200);
  const many = await measure(
    'org view just after the TTL, 20 concurrent viewers over both replicas',
    () =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).request(`${org}&offset=${(i % 10) * 50}`),
        ),
      ),
  );
  line(
    `  p50 ${percentile(
      many.map(x => x.ms),
      50,
    ).toFixed(0)} ms, max ${Math.max(...many.map(x => x.ms)).toFixed(0)} ms`,
  );

  const alice = await a.guestToken();
  const entity = `/api/ecs-deploy/entities/component/default/${names[0]}`;
  const before = (await b.request(`${entity}/status`)).json.environments[1]
    .service.taskDefinition.revision;
  const promoted = await a.request(`${entity}/promotions`, {
    method: 'POST',
    token: alice,
    body: { from: 'staging', to: 'prod' },
  });
  const seen = (await b.request(team)).json.rows.find(x =>
    x.entityRef.endsWith(`/${names[0]}`),
  ).environments.prod.taskDefinition.revision;
  line(
    `\npromotion through A (${promoted.status}, ${promoted.ms.toFixed(
      0,
    )} ms): prod revision ${before} → ${
      promoted.json?.taskDefinition?.revision
    }; B's very next team view shows revision ${seen}`,
  );

  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  for (const count of [1, Number(process.env.BENCH_VIEWERS ?? 50)]) {
    line(
      await viewers({ proxy, replicas, paths: [team, org], count, seconds }),
    );
  }

  line(
    `\n${await deployDay({
      replicas,
      names: names.slice(
        400,
        400 + Number(process.env.BENCH_DEPLOY_SERVICES ?? 100),
      ),
      token: alice,
      pgUrl,
    })}`,
  );
} finally {
  for (const replica of replicas) await replica.stop();
  await proxy.close();
  await emulator.stop();
  sh(['scripts/postgres.sh', 'stop'], { PG_PORT: pgPort });
  sh(['scripts/redis.sh', 'stop'], { REDIS_PORT: redisPort });
}
process.exit(0);
