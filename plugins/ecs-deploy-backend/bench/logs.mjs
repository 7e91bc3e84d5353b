#!/usr/bin/env node
// Time to first log lines (node plugins/ecs-deploy-backend/bench/logs.mjs).
// Seeds payments-api in a private emulator (staging and prod, each in its own account, 2 tasks
// writing lines each), starts the backend (reaching each account through its portal role,
// as app-config.yaml configures it; from source, the demo catalog, the portal's permission policy) with the AWS endpoint behind a
// counting proxy, signs in as the guest (alice, an owner of payments-api), then prints the time
// of GET …/logs and the AWS calls it made: cold (first read after start: no status, task
// definition or log group cached), warm (repeated reads within the status TTL), an older page,
// a filtered read, and where the per-caller rate bound answers 429. Loopback only, free ports.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  benchEnvironments,
  createLocalAccounts,
  eventually,
  logsClient,
  percentile,
  repoRoot,
  seedService,
  startAwsProxy,
  startBackend,
  startEmulator,
  TEST_REGION,
} from '@internal/dev-kit';

const READS = Number(process.env.BENCH_READS ?? 20);
const runDir = path.join(repoRoot(), '.run/bench');
mkdirSync(runDir, { recursive: true });
const emulator = await startEmulator({
  rolloutSeconds: 1,
  env: { ECS_EMULATOR_LOG_INTERVAL_SECONDS: '0.1' },
});
const proxy = await startAwsProxy({ target: emulator.endpoint });
let backend;
try {
  const accounts = await createLocalAccounts(emulator.endpoint);
  for (const env of ['staging', 'prod']) {
    await seedService(
      emulator.endpoint,
      env,
      'payments-api',
      'ghcr.io/acme/payments-api:1.4.0',
      {
        cluster: `demo-${env}`,
        desiredCount: 2,
        credentials: accounts[env],
      },
    );
  }
  backend = await startBackend({
    name: 'bench-logs',
    dir: runDir,
    // STS and the main account's keys, which assume each environment's portal role.
    awsEndpoint: emulator.endpoint,
    env: { LOG_LEVEL: 'warn' },
    config: {
      ecsDeploy: {
        environments: benchEnvironments(proxy.endpoint, 'demo'),
        promotionPaths: [{ from: 'staging', to: 'prod' }],
        permissions: { adminGroups: ['group:default/platform'] },
        logs: { burst: 40, readsPerMinute: 60 },
        // The first read after start is measured cold: app-config.yaml's warm index would warm it.
        index: { enabled: false },
      },
    },
  });
  const token = await backend.guestToken();
  const logs = query =>
    backend.request(
      `/api/ecs-deploy/entities/component/default/payments-api/logs?${query}`,
      { token },
    );
  await eventually(
    'the catalog with payments-api',
    async () =>
      (
        await backend.request(
          '/api/catalog/entities/by-name/component/default/payments-api',
          { token },
        )
      ).status === 200,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  // Lines exist once the emulator's tasks run; wait on the emulator, not through the backend.
  const { FilterLogEventsCommand } = await import(
    '@aws-sdk/client-cloudwatch-logs'
  );
  await eventually(
    '100 log lines in staging (the emulator writes at most 60 per task)',
    async () =>
      (
        (
          await logsClient(
            emulator.endpoint,
            TEST_REGION,
            accounts.staging,
          ).send(
            new FilterLogEventsCommand({
              logGroupName: '/ecs/staging/payments-api',
            }),
          )
        ).events ?? []
      ).length >= 100,
    { timeoutMs: 60_000, intervalMs: 500 },
  );

  const measure = async (label, query) => {
    proxy.reset();
    const r = await logs(query);
    if (r.status !== 200 || !r.json.lines?.length)
      throw new Error(`${label}: ${r.status} ${r.text.slice(0, 300)}`);
    console.log(
      `${label}: ${r.ms.toFixed(0)} ms, ${
        r.json.lines.length
      } lines, AWS calls ${JSON.stringify(Object.fromEntries(proxy.counts))}`,
    );
    return r;
  };
  const cold = await measure(
    'cold (first read after start)',
    'environment=staging',
  );
  await measure('cold environment, warm backend (prod)', 'environment=prod');
  const warm = [];
  proxy.reset();
  for (let i = 0; i < READS; i++) {
    const r = await logs('environment=staging');
    if (r.status !== 200) throw new Error(`warm read ${i}: ${r.status}`);
    warm.push(r.ms);
  }
  console.log(
    `warm, ${READS} reads: p50 ${percentile(warm, 50).toFixed(
      0,
    )} ms, p95 ${percentile(warm, 95).toFixed(
      0,
    )} ms, AWS calls ${proxy.total()} ${JSON.stringify(
      Object.fromEntries(proxy.counts),
    )}`,
  );
  await measure(
    'older page (nextToken)',
    `environment=staging&nextToken=${cold.json.nextToken}`,
  );
  await measure(
    'filtered (filter=listening)',
    'environment=staging&filter=listening',
  );
  // The per-caller bound (burst 40 here, 60 a minute): reads until the first 429.
  proxy.reset();
  let allowed = 0;
  while ((await logs('environment=staging')).status === 200 && allowed < 100)
    allowed++;
  console.log(
    `rate bound: ${allowed} more reads, then 429; AWS calls meanwhile ${proxy.total()}`,
  );
} finally {
  await backend?.stop();
  await proxy.close();
  await emulator.stop();
}
process.exit(0);
