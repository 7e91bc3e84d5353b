#!/usr/bin/env node
// Side-by-side benchmark of the per-entity read (yarn bench:side-by-side): our ECS deploy plugin
// and AWS's ECS plugin (@aws/amazon-ecs-plugin-for-backstage-backend, unmodified from npm; see
// aws-plugin-deps/README.md for how it is installed) in one Backstage backend (sideBySideBackend.ts).
// Seeds a private emulator with N services (default 200) in each of staging and prod, twice: ours
// reads them as the product runs by default, staging and prod each in its own account through the
// portal role (app-config.yaml's aws.accounts); AWS's plugin finds services by tags in one account
// only (its default locator: the Resource Groups Tagging API with the main account's keys; an
// entity's ARN annotation holds one service), so it reads an identical copy in the main account.
// N catalog components carry both plugins' annotations, so both read two services per entity
// (AWS's through its tags annotation: one Resource Groups Tagging API lookup, then ECS). The
// emulator throttles per account, as AWS does: ours draws on two accounts' buckets, AWS's on one. Each
// plugin's AWS calls go through its own counting proxy. Per run (default 3), two fresh backends:
// - the local default (app-config.yaml: the warm index on, every 20 s). As soon as the catalog
//   holds every entity, ours reads each entity once: the first read after the start, what a
//   viewer sees first (`first`; the index's calls before it are printed: whether it had finished).
//   Then, in an order that alternates per run, AWS's cold and both plugins' warm reads, and after
//   the TTL and serve-while-refreshing time both plugins' `expired` reads.
// - the index off (`ecsDeploy.index.enabled: false`), for transparency: ours cold (every task
//   definition read while the viewer waits), warm, and expired (revisions still known).
// At c1 the first half of the entities is read one at a time, at c10 the second half ten at a
// time; each cell from full ECS throttling buckets (the emulator throttles at ECS's documented
// rates). With the index on, a cell's calls include the index's own in the meantime. Prints p50/p95
// per plugin over all runs, the ratio (AWS's latency / ours; ours' first read against AWS's cold
// one) and whether the goals hold for the local default: c1 at least 3×, c10 at least 10× faster,
// first, warm and expired. Loopback only, free ports; prints figures, asserts nothing.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchEnvironments,
  catalogHolds,
  createLocalAccounts,
  percentile,
  repoRoot,
  resetThrottling,
  seedBenchServices,
  startAwsProxy,
  startBackend,
  startEmulator,
  teamCatalog,
  TEST_REGION,
  throttledCount,
} from '@internal/dev-kit';

const N = Number(process.env.BENCH_SERVICES ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOALS = { c1: 3, c10: 10 };
const both = kind => [`${kind} c1`, `${kind} c10`];
/** The cells of each plugin: ours as the local default runs it, ours with the index off, AWS's. */
const CELLS = {
  ours: [...both('first'), ...both('warm'), ...both('expired')],
  oursOff: [...both('cold'), ...both('warm'), ...both('expired')],
  aws: [...both('cold'), ...both('warm'), ...both('expired')],
};
/** Each of ours' cells against AWS's (ours' first read against AWS's cold one). */
const AGAINST = { first: 'cold' };
/** Read again once our entries are past the TTL and the serve-while-refreshing time (defaults). */
const EXPIRY_MS = (10 + 30) * 1000 + 1000;
const runDir = path.join(repoRoot(), '.run/bench-side-by-side');
mkdirSync(runDir, { recursive: true });
const names = Array.from(
  { length: N },
  (_, i) => `svc-${String(i).padStart(3, '0')}`,
);
const half = Math.floor(N / 2);

const emulator = await startEmulator();
const proxies = {
  ours: await startAwsProxy({ target: emulator.endpoint }),
  aws: await startAwsProxy({ target: emulator.endpoint }),
};
const ours = {
  path: name => `/api/ecs-deploy/entities/component/default/${name}/status`,
  complete: json => json?.environments?.filter(e => e.service).length === 2,
  proxy: 'ours',
};
/** How each plugin reads an entity, and whether the answer holds both environments' services. */
const plugins = {
  ours: { title: 'ecs-deploy (ours)', ...ours },
  oursOff: { title: 'ecs-deploy, index off', ...ours },
  aws: {
    title: 'AWS amazon-ecs 0.10.0',
    path: name =>
      `/api/amazon-ecs/v1/entity/default/component/${name}/services`,
    complete: json => json?.clusters?.flatMap(c => c.services).length === 2,
    proxy: 'aws',
  },
};
/** Latencies (ms) pooled over the runs, calls and incomplete answers per run, by plugin and cell. */
const results = Object.fromEntries(
  Object.entries(CELLS).map(([p, cells]) => [
    p,
    Object.fromEntries(
      cells.map(m => [
        m,
        { ms: [], runP50: [], calls: [], throttled: [], bad: 0, firstBad: '' },
      ]),
    ),
  ]),
);
/** Per run: how long after the backend answered the catalog was complete, and the index's calls by then. */
const firstReads = [];

let backend;
let catalog;
try {
  const seedStart = Date.now();
  const accounts = await createLocalAccounts(emulator.endpoint);
  await seedBenchServices(emulator.endpoint, names, 'bench', accounts);
  await seedBenchServices(emulator.endpoint, names, 'bench');
  console.log(
    `seeded ${N} services in each of staging and prod, in their accounts (ours) and in the main account (AWS's) in ${
      Date.now() - seedStart
    } ms`,
  );
  catalog = path.join(runDir, 'entities.yaml');
  writeFileSync(
    catalog,
    teamCatalog('team-bench', names, [], name => ({
      'aws.amazon.com/amazon-ecs-service-tags': `backstage:entity-ref=component:default/${name}`,
    })),
  );

  for (let run = 1; run <= RUNS; run++) {
    // The local default: app-config.yaml's warm index.
    proxies.ours.reset();
    const catalogMs = await start(`side-by-side-${run}`);
    const calls = Object.fromEntries(proxies.ours.counts);
    firstReads.push({ catalogMs, calls });
    for (const mode of both('first')) await measure('ours', mode);
    const order = run % 2 ? ['ours', 'aws'] : ['aws', 'ours'];
    for (const plugin of order) {
      const cells = plugin === 'aws' ? [...both('cold'), ...both('warm')] : [];
      for (const mode of [...cells, ...both('warm')])
        await measure(plugin, mode);
    }
    await expired(order);
    await stopBackend();

    // The index off: what a cold read costs when nothing warmed it.
    await start(`side-by-side-${run}-off`, { enabled: false });
    for (const mode of [...both('cold'), ...both('warm')]) {
      await measure('oursOff', mode);
    }
    await expired(['oursOff']);
    await stopBackend();
    console.log(`run ${run} of ${RUNS} done (${order.join(' then ')})`);
  }
  report();
} finally {
  await backend?.stop();
  await proxies.ours.close();
  await proxies.aws.close();
  await emulator.stop();
}
process.exit(0);

/**
 * A fresh backend with `ecsDeploy.index` over app-config.yaml's; resolves with the milliseconds
 * from its answering to the catalog holding every component (a viewer's first possible read).
 */
async function start(name, index) {
  backend = await startBackend({
    name,
    dir: runDir,
    // STS and the main account's keys, which assume each environment's portal role (ours).
    awsEndpoint: emulator.endpoint,
    entry: fileURLToPath(new URL('./sideBySideBackend.ts', import.meta.url)),
    staticTokens: 1,
    env: {
      LOG_LEVEL: 'warn',
      // AWS's plugin builds its SDK clients without an endpoint setting: the SDK's
      // service-specific endpoint variables send them to its proxy; the main account's
      // credentials come from the default chain.
      AWS_ENDPOINT_URL_ECS: proxies.aws.endpoint,
      AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: proxies.aws.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    config: {
      catalog: { locations: [{ type: 'file', target: catalog }] },
      ecsDeploy: {
        environments: benchEnvironments(proxies.ours.endpoint, 'bench'),
        promotionPaths: [{ from: 'staging', to: 'prod' }],
        // No deployment watcher: it reads every staging service through the status cache in
        // the background (every 5 s locally), which would warm entries measured as cold.
        verification: { watch: { environments: [] } },
        index,
      },
    },
  });
  const answered = Date.now();
  await catalogHolds(backend, N);
  return Date.now() - answered;
}

async function stopBackend() {
  await backend.stop();
  backend = undefined;
}

/**
 * Expired: our status entries too old to serve, unless the index refreshed them; the task
 * definition revisions still known (immutable, kept for days): a view after nobody looked a while.
 */
async function expired(order) {
  await new Promise(resolve => setTimeout(resolve, EXPIRY_MS));
  for (const plugin of order) {
    for (const mode of both('expired')) await measure(plugin, mode);
  }
}

/**
 * Reads each entity once through `plugin`: at c1 the first half of the entities one at a time, at
 * c10 the second half ten at a time.
 */
async function measure(plugin, mode) {
  const c1 = mode.endsWith(' c1');
  const list = c1 ? names.slice(0, half) : names.slice(half);
  const concurrency = c1 ? 1 : 10;
  const proxy = proxies[plugins[plugin].proxy];
  const cell = results[plugin][mode];
  // Each cell from full ECS throttling buckets (the emulator's, per account and category, as ECS's).
  await resetThrottling(emulator.endpoint);
  proxy.reset();
  const latencies = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const r = await backend.request(plugins[plugin].path(list[next++]));
        if (r.status !== 200 || !plugins[plugin].complete(r.json)) {
          cell.bad++;
          cell.firstBad ||= `${r.status} ${r.text.slice(0, 200)}`;
        }
        latencies.push(r.ms);
      }
    }),
  );
  cell.ms.push(...latencies);
  cell.runP50.push(percentile(latencies, 50));
  const byAction = [...proxy.counts].map(([a, n]) => `${a} ${n}`).join(', ');
  cell.calls.push(`${proxy.total()}${byAction ? ` (${byAction})` : ''}`);
  cell.throttled.push(await throttledCount(emulator.endpoint));
}

function report() {
  const f = x => x.toFixed(1);
  console.log(
    `\nper-entity read, ${N} entities (two services each), ${RUNS} runs, latencies pooled over the runs:`,
  );
  for (const [plugin, cells] of Object.entries(CELLS)) {
    for (const mode of cells) {
      const cell = results[plugin][mode];
      console.log(
        `  ${plugins[plugin].title.padEnd(22)} ${mode.padEnd(11)}: p50 ${f(
          percentile(cell.ms, 50),
        )} ms p95 ${f(percentile(cell.ms, 95))} ms (p50 per run ${cell.runP50
          .map(f)
          .join(', ')}), AWS calls per run ${cell.calls.join(
          '; ',
        )} (throttled ${cell.throttled.join(
          ', ',
        )}), incomplete or failed answers ${cell.bad}${
          cell.firstBad ? ` (first: ${cell.firstBad})` : ''
        }`,
      );
    }
  }
  console.log(
    `\nfirst read after the start (index on): the catalog was complete ${firstReads
      .map(r => `${(r.catalogMs / 1000).toFixed(1)} s`)
      .join(
        ', ',
      )} after the backend answered; ours' calls by then (the index's): ${firstReads
      .map(r => JSON.stringify(r.calls))
      .join('; ')}`,
  );
  console.log(
    '\nratio (AWS plugin latency / ours; higher is better for ours):',
  );
  const verdicts = [];
  for (const plugin of ['ours', 'oursOff']) {
    for (const mode of CELLS[plugin]) {
      const [kind, c] = mode.split(' ');
      const theirs = results.aws[`${AGAINST[kind] ?? kind} ${c}`];
      const ratio = p =>
        percentile(theirs.ms, p) / percentile(results[plugin][mode].ms, p);
      const holds = ratio(50) >= GOALS[c];
      if (plugin === 'ours') {
        verdicts.push(
          `${mode} ${f(ratio(50))}× ${holds ? 'holds' : 'MISSED'} (goal ${
            GOALS[c]
          }×)`,
        );
      }
      console.log(
        `  ${plugins[plugin].title.padEnd(22)} ${mode.padEnd(11)}: p50 ${f(
          ratio(50),
        )}×, p95 ${f(ratio(95))}×${
          plugin === 'oursOff' && !holds ? ` (below the ${GOALS[c]}× goal)` : ''
        }`,
      );
    }
  }
  const all = verdicts.every(v => v.includes('holds'));
  console.log(
    `\ngoals for the local default (per-entity p50, c1 ≥ ${GOALS.c1}×, c10 ≥ ${
      GOALS.c10
    }× faster than AWS's plugin; the first read against AWS's cold one): ${
      all ? 'ALL HOLD' : 'NOT ALL HOLD'
    }: ${verdicts.join('; ')}`,
  );
}
