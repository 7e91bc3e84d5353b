#!/usr/bin/env node
// Events benchmark (yarn bench:events): two backend replicas on PostgreSQL + Redis with ECS events
// (the queue portal-events creates in each account, the warm index, the 5-minute safety net) in
// front of the emulator (behind a counting proxy), BENCH_SERVICES services in each of
// BENCH_ENVIRONMENTS environments, BENCH_VIEWERS viewers with the org view open. Across accounts,
// as the product runs: dev and staging in 111111111111, prod in 222222222222 (LOCAL_ACCOUNTS),
// each reached through its portal role (app-config.yaml's aws.accounts), each account's queue
// read with that role. Prints:
// - seeding (in-process, the emulator's seed hook) and the warm index's first fill (at ECS's documented rates);
// - the org view as the page opens it (its first page by name over every service of the
//   organisation: only that page's states are read) cold in two senses: nothing in the shared
//   cache (the portal's first start ever: rows have no state until the index reads them), and the
//   first view after both replicas restart with the index in Redis (a deploy of the portal); then
//   warm;
// - a quiet window (viewers only) and a window of changes straight through the ECS API (each
//   environment in turn, with its account's credentials): ECS calls per action and per account,
//   the time until a change shows in a page (p50/p95), viewers' latency, throttling (the
//   emulator's count per account, and cells of the pages that said so);
// - ECS calls per hour at steady state with 1 % of services changing per hour, next to the
//   polling design's figure.
// Knobs: BENCH_SERVICES (5000 per environment), BENCH_ENVIRONMENTS (3), BENCH_VIEWERS (100),
// BENCH_CHANGES (40) in BENCH_SECONDS (120), BENCH_QUIET_SECONDS (60), BENCH_TTL_SECONDS (10, the
// polling design's TTL). Ports: PG_PORT (5571), REDIS_PORT
// (5521); the rest free loopback ports. Quick run: BENCH_SERVICES=300 BENCH_VIEWERS=10
// BENCH_SECONDS=30 BENCH_CHANGES=10 BENCH_QUIET_SECONDS=20.
import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  catalogHolds,
  createLocalAccounts,
  deployImage,
  eventually,
  percentile,
  repoRoot,
  sleep,
  startAwsProxy,
  startEmulator,
} from '@internal/dev-kit';
import { catalogFile, sharedBackend } from './scaleLib.mjs';
import {
  accountEcs,
  accountQueues,
  callsByAccount,
  countKeys,
  countersSince,
  ecsCountersByAccount,
  environments,
  orgView,
  rolloutsSettled,
  seedFast,
  shownRevision,
  startReplicas,
  store,
  unreadRows,
  viewers,
} from './eventsLib.mjs';

const N = Number(process.env.BENCH_SERVICES ?? 5000);
const ENVS = ['dev', 'staging', 'prod'].slice(
  -Number(process.env.BENCH_ENVIRONMENTS ?? 3),
);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 100);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 40);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const QUIET = Number(process.env.BENCH_QUIET_SECONDS ?? 60);
const TTL = Number(process.env.BENCH_TTL_SECONDS ?? 10);
const pgPort = process.env.PG_PORT ?? '5571';
const redisPort = process.env.REDIS_PORT ?? '5521';
const runDir = path.join(repoRoot(), '.run/bench-events');
mkdirSync(runDir, { recursive: true });
const names = Array.from(
  { length: N },
  (_, i) => `svc-${String(i).padStart(4, '0')}`,
);
const cells = N * ENVS.length;
const line = (...a) => console.log(...a);
const load = () =>
  `load ${os
    .loadavg()
    .map(x => x.toFixed(1))
    .join(' ')}`;
const ms = x => `${x.toFixed(0)} ms`;

const pgUrl = await store('postgres', 'start', { PG_PORT: pgPort });
const redisUrl = await store('redis', 'start', { REDIS_PORT: redisPort });
// Real-time emulated minutes: the status path reads no metrics, and publishing 15,000 services'
// metrics every 2 s would hold the emulator's lock for much of the run.
const emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 60 });
const proxy = await startAwsProxy({ target: emulator.endpoint });
// Each account's administrator, with the portal role created there.
const admins = await createLocalAccounts(emulator.endpoint);
/** An ECS client of `env`'s account, for what happens outside the portal. */
const ecsOf = accountEcs(emulator.endpoint, admins);
let replicas = [];
/**
 * The portal's AWS calls the proxy counted (STS left out; the queues are read straight from the
 * emulator), by IAM action.
 */
const ecsCounts = () =>
  Object.fromEntries(
    [...proxy.actions].filter(([action]) => !action.startsWith('sts:')),
  );
const sum = counts => Object.values(counts).reduce((a, b) => a + b, 0);
/** Status entries in Redis (`state:<env>:<service>`). */
const entriesInRedis = () => countKeys(redisPort, 'state:');

try {
  line(
    `${N} services × ${ENVS.length} environments (${ENVS.join(
      ', ',
    )}), ${VIEWERS} viewers, 2 replicas on PostgreSQL + Redis; ${
      os.cpus().length
    } cores, ${load()}`,
  );
  const seededMs = await seedFast(emulator.endpoint, ENVS, names);
  await rolloutsSettled(ecsOf, ENVS, names.at(-1));
  line(
    `seeding: ${cells} services (in-process through the emulator's seed hook, each environment in its account) in ${(
      seededMs / 1000
    ).toFixed(1)} s (${((cells * 1000) / seededMs).toFixed(0)}/s); ${load()}`,
  );

  const queues = await accountQueues(
    emulator.endpoint,
    ENVS,
    admins,
    `bench-events-${Date.now()}`,
  );
  const config = {
    backend: sharedBackend(pgUrl, redisUrl),
    catalog: {
      locations: [
        { type: 'file', target: catalogFile(runDir, names, i => i % 50, 50) },
      ],
    },
    ecsDeploy: {
      environments: environments(proxy.endpoint, ENVS),
      promotionPaths: ENVS.slice(1).map((to, i) => ({ from: ENVS[i], to })),
      // No watcher of CI deploys: every seeded service's deployment is minutes old, so it would
      // verify all 5,000 services of the first environment at once (metrics, alarms, task reads)
      // beside what is measured here; replicas.test leaves it out for the same reason.
      verification: { watch: { environments: [] } },
      events: {
        queues,
        waitTime: { seconds: 10 },
      },
      // The product's default with events (app-config.yaml's 20 s is for local polling).
      index: { interval: { seconds: 60 } },
    },
  };
  const tokens = VIEWERS + 1;
  const start = async label => {
    replicas = await startReplicas({
      dir: runDir,
      config,
      tokens,
      label,
      // STS through the proxy too, which so learns each assumed role's keys (callsByAccount).
      awsEndpoint: proxy.endpoint,
    });
    await catalogHolds(replicas[0], N, {
      timeoutMs: 900_000,
      intervalMs: 1000,
    });
  };
  await start('first');
  const [a0] = replicas;

  // Cold, nothing cached: the portal's first start ever (the view reads the index only: its rows
  // have no state until the index has read them).
  let res = await orgView(a0, a0.tokens[0]);
  line(
    `org view, nothing in the shared cache (first start ever): ${ms(
      res.ms,
    )}, HTTP ${res.status}, ${unreadRows(res)} of ${
      res.json?.rows?.length
    } rows without a state yet`,
  );

  // The warm index's first fill: every service of every environment in Redis.
  const fillStart = Date.now();
  await eventually(
    `${cells} status entries in Redis`,
    async () => (await entriesInRedis()) >= cells,
    { timeoutMs: 3_600_000, intervalMs: 5000 },
  );
  const filled = ecsCounts();
  line(
    `warm index, first fill: ${cells} entries in ${(
      (Date.now() - fillStart) /
      1000
    ).toFixed(0)} s at ECS's documented rates, ECS calls ${JSON.stringify(
      filled,
    )}, by account and role ${JSON.stringify(
      callsByAccount(proxy),
    )}; ${load()}`,
  );

  // Cold after a deploy of the portal: both replicas restart, the shared cache holds the index.
  // A answered the bench's catalog polls before; B's view is the first request it serves.
  for (const replica of replicas) await replica.stop();
  await start('restarted');
  const [a, b] = replicas;
  const countersAtStart = await ecsCountersByAccount(emulator.endpoint);
  for (const [label, replica] of [
    ['A', a],
    ['B', b],
  ]) {
    res = await orgView(replica, replica.tokens[0]);
    line(
      `org view cold on ${label} (first view after both replicas restarted, index in Redis): ${ms(
        res.ms,
      )}, HTTP ${res.status}, total ${res.json?.total}, ${unreadRows(
        res,
      )} rows without a state; ${load()}`,
    );
  }
  // What of B's cold view was the fresh process: another caller's first view on B (its list of
  // services read from the catalog, the process warm).
  res = await orgView(b, b.tokens[1]);
  line(
    `org view on B, another caller's first (catalog read for the caller, process warm): ${ms(
      res.ms,
    )}, HTTP ${res.status}`,
  );
  const warm = [];
  for (let i = 0; i < 20; i++) {
    const replica = replicas[i % 2];
    warm.push((await orgView(replica, replica.tokens[0], (i % 10) * 50)).ms);
  }
  line(
    `org view warm (20 pages over both replicas): p50 ${ms(
      percentile(warm, 50),
    )}, p95 ${ms(percentile(warm, 95))}, max ${ms(Math.max(...warm))}`,
  );

  /** `VIEWERS` open org views for `seconds` while `act` runs; ECS calls and what viewers saw. */
  const window = async (seconds, act) => {
    let open = true;
    const viewing = viewers({
      replicas,
      count: VIEWERS,
      everyMs: 15_000,
      pages: Math.ceil(N / 50),
      active: () => open,
    });
    proxy.reset();
    const countersBefore = await ecsCountersByAccount(emulator.endpoint);
    const started = Date.now();
    const acted = act(started);
    await sleep(Math.max(0, started + seconds * 1000 - Date.now()));
    const counts = ecsCounts();
    const byAccount = callsByAccount(proxy);
    const counters = countersSince(
      await ecsCountersByAccount(emulator.endpoint),
      countersBefore,
    );
    const minutes = (Date.now() - started) / 60_000;
    open = false;
    const [seen, views] = await Promise.all([acted, viewing]);
    return {
      counts,
      perMinute: sum(counts) / minutes,
      byAccount,
      counters,
      seen,
      views,
    };
  };
  const accountsLine = w =>
    `the portal's calls by account and role ${JSON.stringify(
      w.byAccount,
    )}; the emulator's ECS counters by account (the portal's and the changes') ${JSON.stringify(
      w.counters,
    )}`;
  const viewsLine = v =>
    `${v.requests} org views by ${VIEWERS} viewers: p50 ${ms(v.p50)}, p95 ${ms(
      v.p95,
    )}, ${v.errors} errors, ${v.throttledRows} rows showing throttling`;

  const quiet = await window(QUIET, async () => undefined);
  line(
    `\nquiet ${QUIET} s (viewers only): ECS calls ${quiet.perMinute.toFixed(
      1,
    )}/min ${JSON.stringify(quiet.counts)}; ${accountsLine(quiet)}; ${viewsLine(
      quiet.views,
    )}; ${load()}`,
  );

  // Each environment in turn, through its account's ECS with that account's credentials.
  const changed = await window(SECONDS, async started => {
    const staleness = [];
    await Promise.all(
      Array.from({ length: CHANGES }, async (_, i) => {
        await sleep((i * SECONDS * 1000) / CHANGES);
        const name = names[(i * 7919) % N];
        const env = ENVS[i % ENVS.length];
        const { revision } = await deployImage(
          ecsOf(env),
          `bench-${env}`,
          name,
          `ghcr.io/acme/${name}:2.0.${i}`,
        );
        const at = Date.now();
        const replica = replicas[i % 2];
        while (
          (await shownRevision(replica, replica.tokens[0], name, env)) !==
          revision
        ) {
          if (Date.now() - at > 120_000) return; // not seen in 2 min
          await sleep(100);
        }
        staleness.push(Date.now() - at);
      }),
    );
    return { staleness, started };
  });
  const { staleness } = changed.seen;
  const perChange = Math.max(
    0,
    (sum(changed.counts) - (quiet.perMinute * SECONDS) / 60) / CHANGES,
  );
  line(
    `changes: ${CHANGES} deploys in ${SECONDS} s straight through ECS (${ENVS.join(
      ', ',
    )} in turn, each with its account's credentials); shown in a page p50 ${ms(
      percentile(staleness, 50),
    )}, p95 ${ms(percentile(staleness, 95))} (${
      staleness.length
    }/${CHANGES} seen within 2 min); ECS calls ${changed.perMinute.toFixed(
      1,
    )}/min ${JSON.stringify(changed.counts)}, ≈ ${perChange.toFixed(
      1,
    )} per change above the quiet rate; ${accountsLine(changed)}; ${viewsLine(
      changed.views,
    )}; ${load()}`,
  );
  const sinceStart = countersSince(
    await ecsCountersByAccount(emulator.endpoint),
    countersAtStart,
  );
  line(
    `the emulator's ECS counters since the restart, by account (throttled: what it throttled): ${JSON.stringify(
      sinceStart,
    )}`,
  );

  // A refresh of one service costs the calls of one DescribeServices batch of ten (the service
  // read, its scalable targets, its alarms; task definitions are cached for good) over ten, as the
  // quiet window's refreshes measured (the first fill's figure when the window saw none: it
  // includes the reads the cold view's deadline abandoned, so it is higher). The safety net does
  // it every 5 minutes, polling every TTL.
  const quietBatches = quiet.counts['ecs:DescribeServices'] ?? 0;
  const [perRefresh, perRefreshFrom] =
    quietBatches > 0
      ? [
          (sum(quiet.counts) -
            (quiet.counts['ecs:DescribeTaskDefinition'] ?? 0)) /
            (quietBatches * 10),
          "the quiet window's batches",
        ]
      : [
          (sum(filled) - (filled['ecs:DescribeTaskDefinition'] ?? 0)) / cells,
          'the first fill',
        ];
  const safetyNet = cells * perRefresh * 12;
  const perHourChanges = 0.01 * cells;
  const steady = safetyNet + perHourChanges * perChange;
  line(
    `\nECS calls per hour at steady state, ${cells} services with 1 % changing per hour (${perHourChanges} changes): ` +
      `events ≈ ${steady.toFixed(
        0,
      )} (the 5-minute safety net ${safetyNet.toFixed(0)}, ${perRefresh.toFixed(
        2,
      )} calls per service refresh as ${perRefreshFrom} measured, + ${perChange.toFixed(
        1,
      )} per change; measured in the quiet window ${(
        quiet.perMinute * 60
      ).toFixed(0)}/h). ` +
      `Polling design at a ${TTL} s TTL: ${(
        (cells * perRefresh * 3600) /
        TTL
      ).toFixed(0)}/h (ECS allows ${
        20 * 3600
      }/h per read category, account and region)`,
  );
} finally {
  for (const replica of replicas) await replica.stop().catch(() => {});
  await proxy.close();
  await emulator.stop();
  await store('postgres', 'stop', { PG_PORT: pgPort }).catch(() => {});
  await store('redis', 'stop', { REDIS_PORT: redisPort }).catch(() => {});
}
process.exit(0);
