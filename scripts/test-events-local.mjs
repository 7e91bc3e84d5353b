#!/usr/bin/env node
// Issue 27's check, from outside: the local default configured for events (scripts/start.sh
// --events: the demo's ECS events queue in each account, polling every 5 minutes as the safety
// net, the warm index on). Starts `scripts/start.sh --events backend` (the emulator, the Terraform
// demo, the backend; no frontend) on free ports (or EMULATOR_PORT, BACKEND_PORT), then changes a
// demo service straight through the ECS API, as prod's administrator (UpdateService desiredCount
// of payments-api in 222222222222, up and back down), and times until the portal's status shows
// each change (bounded by EVENTS_LOCAL_BOUND_SECONDS, default 20: far below the 5-minute safety
// net). Prints the figures; ends with "events-local: N passed, N failed" and writes "N M" to
// $RESULTS_DIR/events-local.counts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  LOCAL_ACCOUNTS,
  TEST_REGION,
  accountAdminCredentials,
  checkRunner,
  ecsClient,
  eventually,
  freePort,
  repoRoot,
  startProcess,
} from '@internal/dev-kit';

const root = repoRoot();
const checks = checkRunner('events-local');
const boundMs = Number(process.env.EVENTS_LOCAL_BOUND_SECONDS ?? 20) * 1000;
const SERVICE = 'payments-api';
const ENVIRONMENT = 'prod';

const emulatorPort = Number(process.env.EMULATOR_PORT ?? (await freePort()));
const backendPort = Number(process.env.BACKEND_PORT ?? (await freePort()));
const appPort = Number(process.env.APP_PORT ?? (await freePort()));
const baseUrl = `http://127.0.0.1:${backendPort}`;
const endpoint = `http://127.0.0.1:${emulatorPort}`;
const logFile = path.join(root, '.run/test-events-local/start.log');
rmSync(logFile, { force: true });

async function get(urlPath, token) {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`GET ${urlPath}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

const portal = startProcess(
  path.join(root, 'scripts/start.sh'),
  ['--events', 'backend'],
  {
    cwd: root,
    env: {
      EMULATOR_PORT: String(emulatorPort),
      BACKEND_PORT: String(backendPort),
      APP_PORT: String(appPort),
    },
    logFile,
  },
);
try {
  await checks.check(
    `scripts/start.sh --events starts the demo and the backend (log ${logFile})`,
    () =>
      eventually(
        'the backend answering /api/ecs-deploy/health',
        async () => {
          if (!portal.running())
            throw new Error(`start.sh exited:\n${portal.tail()}`);
          return (await fetch(`${baseUrl}/api/ecs-deploy/health`)).ok;
        },
        { timeoutMs: 15 * 60_000, intervalMs: 1000 },
      ),
  );

  await checks.check(
    'health reports status from events, with the 5-minute safety net',
    async () => {
      const { statusUpdates } = await eventually(
        'statusUpdates.source events, not degraded',
        async () => {
          const health = await get('/api/ecs-deploy/health');
          return (
            health.statusUpdates?.source === 'events' &&
            !health.statusUpdates.degraded &&
            health
          );
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      assert.equal(statusUpdates.refreshSeconds, 300);
      return JSON.stringify(statusUpdates);
    },
  );

  // The local default signs everyone in as the guest (Alice of team-payments).
  const auth = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = (await auth.json())?.backstageIdentity?.token;
  const desiredCount = async () => {
    const status = await get(
      `/api/ecs-deploy/entities/component/default/${SERVICE}/status`,
      token,
    );
    return status.environments.find(e => e.environment === ENVIRONMENT)?.service
      ?.desiredCount;
  };
  const ecs = ecsClient(
    endpoint,
    TEST_REGION,
    await accountAdminCredentials(endpoint, LOCAL_ACCOUNTS[ENVIRONMENT]),
  );

  // Scales to `count` through the ECS API; returns the seconds until the portal showed it.
  const scale = async count => {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: `demo-${ENVIRONMENT}`,
        service: SERVICE,
        desiredCount: count,
      }),
    );
    const started = performance.now();
    await eventually(
      `${SERVICE}'s ${ENVIRONMENT} status showing desiredCount ${count}`,
      async () => (await desiredCount()) === count,
      {
        timeoutMs: boundMs,
        intervalMs: 250,
      },
    );
    return (performance.now() - started) / 1000;
  };

  let before;
  await checks.check(
    `the portal shows ${SERVICE} in ${ENVIRONMENT}`,
    async () => {
      before = await eventually(
        `${SERVICE}'s ${ENVIRONMENT} status`,
        desiredCount,
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
      return `desiredCount ${before}`;
    },
  );
  if (before === undefined)
    throw new Error(`no status of ${SERVICE} in ${ENVIRONMENT}`);

  await checks.check(
    `UpdateService desiredCount ${before} → ${before + 1} shows within ${
      boundMs / 1000
    } s`,
    async () => {
      return `shown after ${(await scale(before + 1)).toFixed(1)} s`;
    },
  );
  await checks.check(
    `UpdateService desiredCount ${before + 1} → ${before} shows within ${
      boundMs / 1000
    } s`,
    async () => {
      return `shown after ${(await scale(before)).toFixed(1)} s`;
    },
  );
} catch (e) {
  checks.fail('setup', e);
} finally {
  // start.sh's cleanup stops the emulator it started and saves the created services' images.
  await portal.stop(60_000);
}
process.exit(checks.finish() ? 0 : 1);
