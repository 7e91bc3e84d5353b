#!/usr/bin/env node
// Benchmark of the status reads over many services (yarn bench:status).
// Seeds a private emulator with N services (default 200) in each of staging and prod (each in its
// own account, reached through the portal role as app-config.yaml configures it), starts
// the backend (from source) with a catalog of N components owned by one team and the ECS endpoint
// behind a counting proxy, then prints ECS calls and latency: per entity (cold and warm, at
// concurrency 1 and 10, next to the figures before this round), then the team view cold, warm,
// and with 50 concurrent viewers for a bounded time. BENCH_ONLY=entity stops after the per-entity
// figures. Loopback only, free ports.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  benchEnvironments,
  catalogHolds,
  createLocalAccounts,
  percentile,
  repoRoot,
  seedBenchServices,
  sleep,
  startAwsProxy,
  startBackend,
  startEmulator,
  teamCatalog,
} from '@internal/dev-kit';

const N = Number(process.env.BENCH_SERVICES ?? 200);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const TTL = Number(process.env.BENCH_TTL_SECONDS ?? 10);
const runDir = path.join(repoRoot(), '.run/bench');
/** BENCH_ONLY=entity: only the per-entity figures. */
const SKIP_REST = Symbol('the per-entity figures only');
/**
 * The per-entity figures before this round: main at 7512089 (a fixed 25 ms batching window, task
 * definitions joined per environment), 200 entities, measured on this 2-core machine with the
 * emulator on the same cores.
 */
const PREVIOUS = {
  date: '2026-12-06, main 7512089',
  'cold c1': { p50: 213.2, p95: 642.9, calls: 400 },
  'cold c10': { p50: 896.0, p95: 1707.0, calls: 274 },
  'warm c1': { p50: 18.3, p95: 134.5, calls: 96 },
  'warm c10': { p50: 161.6, p95: 299.1, calls: 13 },
};
mkdirSync(runDir, { recursive: true });
const names = Array.from(
  { length: N },
  (_, i) => `svc-${String(i).padStart(3, '0')}`,
);

const emulator = await startEmulator();
const proxy = await startAwsProxy({ target: emulator.endpoint });
let backend;
try {
  // Seed the emulator directly (not through the proxy), with its throttling off.
  const seedStart = Date.now();
  const accounts = await createLocalAccounts(emulator.endpoint);
  await seedBenchServices(emulator.endpoint, names, 'bench', accounts);
  console.log(
    `seeded ${N} services in each of staging and prod in ${
      Date.now() - seedStart
    } ms`,
  );

  const catalog = path.join(runDir, 'entities.yaml');
  writeFileSync(catalog, teamCatalog('team-bench', names));
  // One static token per simulated viewer (and the first for the driver), so that distinct
  // callers can be measured too.
  backend = await startBackend({
    name: 'bench',
    dir: runDir,
    // STS and the main account's keys, which assume each environment's portal role.
    awsEndpoint: emulator.endpoint,
    staticTokens: VIEWERS + 1,
    env: { LOG_LEVEL: 'warn' },
    config: {
      catalog: { locations: [{ type: 'file', target: catalog }] },
      ecsDeploy: {
        environments: benchEnvironments(proxy.endpoint, 'bench'),
        promotionPaths: [{ from: 'staging', to: 'prod' }],
        cache: { statusTtl: { seconds: TTL } },
        // Cold reads are measured: app-config.yaml's warm index would have read them first.
        index: { enabled: false },
      },
    },
  });
  await catalogHolds(backend, N);
  const team = '/api/ecs-deploy/teams/default/team-bench/status';

  // Per entity, as the entity page reads it: each entity once, cold (its entries not cached
  // yet), at concurrency 1 over the first half of the entities and 10 over the second half;
  // then the same reads again, warm.
  const entityPath = name =>
    `/api/ecs-deploy/entities/component/default/${name}/status`;
  const perEntity = async (label, list, concurrency) => {
    proxy.reset();
    const latencies = [];
    let errors = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < list.length) {
          const r = await backend.request(entityPath(list[next++]));
          if (r.status !== 200) errors++;
          latencies.push(r.ms);
        }
      }),
    );
    const figures = {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      calls: proxy.total(),
    };
    const was = PREVIOUS[label];
    const now = `per entity ${label} (${
      list.length
    } entities): p50 ${figures.p50.toFixed(1)} ms p95 ${figures.p95.toFixed(
      1,
    )} ms, ECS calls ${figures.calls} ${JSON.stringify(
      Object.fromEntries(proxy.counts),
    )}, errors ${errors}`;
    const before = was
      ? `; previous (${PREVIOUS.date}): p50 ${was.p50} ms p95 ${was.p95} ms, ECS calls ${was.calls}`
      : '';
    console.log(`${now}${before}`);
    return figures;
  };
  const half = Math.floor(N / 2);
  console.log('');
  await perEntity('cold c1', names.slice(0, half), 1);
  await perEntity('cold c10', names.slice(half), 10);
  await perEntity('warm c1', names.slice(0, half), 1);
  await perEntity('warm c10', names.slice(half), 10);
  if (process.env.BENCH_ONLY === 'entity') {
    process.exitCode = 0;
    throw SKIP_REST;
  }

  proxy.reset();
  const cold = await backend.request(team);
  const coldCalls = Object.fromEntries(proxy.counts);
  const lagging = cold.json.rows.filter(r => r.lags[0]?.lagging).length;
  console.log(
    `\ncold team view: ${cold.status}, ${
      cold.json.rows.length
    } rows (${lagging} with prod behind staging), ${cold.ms.toFixed(
      0,
    )} ms, ECS calls ${JSON.stringify(coldCalls)}`,
  );

  proxy.reset();
  const warm = await backend.request(team);
  console.log(
    `warm team view: ${warm.status}, ${warm.ms.toFixed(
      0,
    )} ms, ECS calls ${proxy.total()}`,
  );

  await sleep(TTL * 1000 + 200);
  proxy.reset();
  const expired = await backend.request(team);
  await sleep(2000); // the entries are served at once and refreshed behind the response
  console.log(
    `after the ${TTL}s TTL: ${expired.ms.toFixed(
      0,
    )} ms (served while refreshing), ECS calls of the refresh ${JSON.stringify(
      Object.fromEntries(proxy.counts),
    )} (task definitions stay cached)`,
  );

  const viewers = async (label, tokenOf) => {
    proxy.reset();
    const latencies = [];
    let errors = 0;
    const until = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: VIEWERS }, async (_, v) => {
        while (Date.now() < until) {
          const r = await backend
            .request(team, { token: tokenOf(v) })
            .catch(() => ({ status: 0, ms: 0 }));
          if (r.status !== 200) errors++;
          latencies.push(r.ms);
        }
      }),
    );
    const secs = (Date.now() - started) / 1000;
    console.log(
      `${VIEWERS} concurrent viewers (${label}) for ${secs.toFixed(0)} s: ${
        latencies.length
      } requests (${(latencies.length / secs).toFixed(1)}/s), ` +
        `errors ${errors}, latency p50 ${percentile(latencies, 50).toFixed(
          0,
        )} ms p95 ${percentile(latencies, 95).toFixed(0)} ms max ${Math.max(
          ...latencies,
        ).toFixed(0)} ms, ` +
        `ECS calls ${proxy.total()} (${(proxy.total() / secs).toFixed(
          2,
        )}/s) ${JSON.stringify(Object.fromEntries(proxy.counts))}`,
    );
  };
  await viewers('one caller, e.g. a wall screen', () => backend.token);
  await viewers(`${VIEWERS} distinct callers`, v => backend.tokens[v + 1]);
  console.log(
    `rss of the benchmark driver ${(process.memoryUsage().rss / 1e6).toFixed(
      0,
    )} MB`,
  );
} catch (error) {
  if (error !== SKIP_REST) throw error;
} finally {
  await backend?.stop();
  await proxy.close();
  await emulator.stop();
}
process.exit(0);
