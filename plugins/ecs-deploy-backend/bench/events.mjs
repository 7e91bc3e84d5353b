#!/usr/bin/env node
// Events benchmark (yarn bench:events): the same backend in front of the emulator (behind a
// counting proxy), once with ECS events (the queue portal-events creates, the warm index, the
// 5-minute safety net) and once polling (the status TTL), with every service of prod viewed by an
// open org view that refetches every 15 s. Prints per mode the org view cold and warm, the ECS
// calls per minute at steady state while BENCH_CHANGES services change straight through the ECS
// API, how long each change took to show in the portal (p50/p95), and the emulator's throttling
// count. Seeding runs with the emulator's throttling off; everything measured with it on.
// Knobs: BENCH_SERVICES (300 per environment), BENCH_CHANGES (12), BENCH_SECONDS (60),
// BENCH_TTL_SECONDS (10, polling's TTL). Loopback only, free ports, one replica on SQLite.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  benchEnvironments,
  createEventsQueue,
  deployImage,
  ecsClient,
  eventually,
  percentile,
  repoRoot,
  seedService,
  sleep,
  startAwsProxy,
  startBackend,
  startEmulator,
  throttledCount,
  withoutThrottling,
} from '@internal/dev-kit';
import { catalogFile } from './scaleLib.mjs';

const N = Number(process.env.BENCH_SERVICES ?? 300);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 12);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const TTL = Number(process.env.BENCH_TTL_SECONDS ?? 10);
const runDir = path.join(repoRoot(), '.run/bench-events');
mkdirSync(runDir, { recursive: true });
const names = Array.from(
  { length: N },
  (_, i) => `svc-${String(i).padStart(4, '0')}`,
);
/** What the proxy counts that is not ECS (the queue is read straight from the emulator). */
const ecsCalls = proxy =>
  [...proxy.counts].reduce(
    (sum, [action, n]) => (/Message|Queue/.test(action) ? sum : sum + n),
    0,
  );

const emulator = await startEmulator({ rolloutSeconds: 1 });
const proxy = await startAwsProxy({ target: emulator.endpoint });
const ecs = ecsClient(emulator.endpoint);

/** A deploy as CI makes it (the next revision with a new image); its revision. */
const deploy = async (name, image) =>
  (await deployImage(ecs, 'bench-prod', name, image)).revision;

const throttled = () => throttledCount(emulator.endpoint);

/** One mode: a backend, an open org view, changes through ECS, what it cost and how fast it showed. */
async function measure(mode, ecsDeploy) {
  const backend = await startBackend({
    name: `events-${mode}`,
    dir: runDir,
    // STS and the main account's keys (these environments are in the emulator's main account).
    awsEndpoint: emulator.endpoint,
    staticTokens: 2,
    config: {
      catalog: {
        locations: [
          { type: 'file', target: catalogFile(runDir, names, () => 0, 1) },
        ],
      },
      ecsDeploy: {
        environments: benchEnvironments(proxy.endpoint, 'bench'),
        promotionPaths: [{ from: 'staging', to: 'prod' }],
        cache: { statusTtl: { seconds: TTL } },
        ...ecsDeploy,
      },
    },
    env: { LOG_LEVEL: 'warn' },
  });
  const revisionOf = async name =>
    (
      await backend.request(
        `/api/ecs-deploy/entities/component/default/${name}/status`,
      )
    ).json?.environments?.find(e => e.environment === 'prod')?.service
      ?.taskDefinition.revision;
  try {
    const org = `/api/ecs-deploy/services?limit=50`;
    const pages = Math.ceil(N / 50);
    const view = () =>
      Promise.all(
        Array.from({ length: pages }, (_, i) =>
          backend.request(`${org}&offset=${i * 50}`),
        ),
      );
    await eventually(
      `the catalog with ${N} components`,
      async () =>
        (
          await backend.request(
            '/api/catalog/entities/by-query?filter=kind=component&limit=1&totalItems=include',
          )
        ).json?.totalItems >= N,
      { timeoutMs: 300_000, intervalMs: 500 },
    );
    const withErrors = views =>
      views
        .flatMap(v => v.json?.rows ?? [])
        .filter(row => Object.values(row.environments).some(c => c.error))
        .length;
    const t0 = performance.now();
    const coldErrors = withErrors(await view());
    const cold = performance.now() - t0;
    // Steady state: every status read (the task definitions once each, at ECS's rates), and with
    // events the warm index done (ECS quiet for 5 s).
    const warmUp = Date.now();
    await eventually(
      'the statuses warm',
      async () => {
        if (withErrors(await view()) > 0) return false;
        if (mode !== 'events') return true;
        proxy.reset();
        await sleep(5000);
        return ecsCalls(proxy) < 10;
      },
      { timeoutMs: 900_000, intervalMs: 1000 },
    );
    const warmUpSeconds = (Date.now() - warmUp) / 1000;
    const t1 = performance.now();
    await view();
    const warm = performance.now() - t1;
    const throttledBefore = await throttled();

    let viewing = true;
    const viewer = (async () => {
      while (viewing) {
        await view();
        await sleep(15_000);
      }
    })();
    proxy.reset();
    const started = Date.now();
    const staleness = [];
    const changes = [];
    for (let i = 0; i < CHANGES; i++) {
      await sleep(
        Math.max(0, started + (i * SECONDS * 1000) / CHANGES - Date.now()),
      );
      const name = names[(i * 7919) % N];
      changes.push(
        deploy(name, `ghcr.io/acme/${name}:${mode}-${i}`).then(async rev => {
          const at = Date.now();
          while ((await revisionOf(name)) !== rev) {
            if (Date.now() - at > 120_000) return; // not seen in 2 min
            await sleep(100);
          }
          staleness.push(Date.now() - at);
        }),
      );
    }
    await sleep(Math.max(0, started + SECONDS * 1000 - Date.now()));
    const calls = ecsCalls(proxy);
    const minutes = (Date.now() - started) / 60_000;
    viewing = false;
    await Promise.all([viewer, ...changes]);
    const result = {
      mode,
      cold,
      warm,
      perMinute: calls / minutes,
      p50: percentile(staleness, 50),
      p95: percentile(staleness, 95),
      seen: staleness.length,
      throttled: (await throttled()) - throttledBefore,
    };
    console.log(
      `${mode}: org view (${N} × 2, ${pages} pages) first view after the start ${cold.toFixed(
        0,
      )} ms (${coldErrors} rows not read in time), warm after ${warmUpSeconds.toFixed(
        0,
      )} s ${warm.toFixed(0)} ms; ECS calls ${result.perMinute.toFixed(
        1,
      )}/min with ${CHANGES} changes in ${SECONDS} s; change visible p50 ${result.p50.toFixed(
        0,
      )} ms, p95 ${result.p95.toFixed(0)} ms (${
        result.seen
      }/${CHANGES} seen); throttled by the emulator: ${result.throttled}`,
    );
    return result;
  } finally {
    await backend.stop();
  }
}

try {
  const seedStart = Date.now();
  await withoutThrottling(emulator.endpoint, async () => {
    for (const env of ['staging', 'prod']) {
      for (let i = 0; i < N; i += 25) {
        await Promise.all(
          names.slice(i, i + 25).map(name =>
            seedService(
              emulator.endpoint,
              env,
              name,
              `ghcr.io/acme/${name}:1`,
              {
                cluster: `bench-${env}`,
              },
            ),
          ),
        );
      }
    }
  });
  console.log(
    `seeded ${N} services in each of staging and prod in ${
      Date.now() - seedStart
    } ms`,
  );
  const queue = await createEventsQueue(emulator.endpoint, {
    name: `bench-events-${Date.now()}`,
  });
  const events = await measure('events', {
    events: {
      queues: [
        {
          queueUrl: queue.queueUrl,
          region: TEST_REGION,
          accountId: TEST_ACCOUNT,
          endpoint: emulator.endpoint,
        },
      ],
      waitTime: { seconds: 10 },
    },
  });
  const polling = await measure('polling', {});
  const perHour = x => (x * 60).toFixed(0);
  console.log(
    `\nECS calls per hour at steady state: events ${perHour(
      events.perMinute,
    )}, polling ${perHour(
      polling.perMinute,
    )} (${N} × 2 services viewed, polling TTL ${TTL} s); the polling design at its TTL without batching: ${perHour(
      (2 * N * 60) / TTL,
    )}`,
  );
} finally {
  await proxy.close();
  await emulator.stop();
}
