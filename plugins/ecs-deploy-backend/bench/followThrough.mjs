#!/usr/bin/env node
// Time from the click to `rolled-out` on the local default (yarn bench:follow-through): the
// emulator with its default rollout time, the backend from source with app-config.yaml as it is
// (follower every followThrough.checkInterval, default 5 s), the demo's payments-api in
// demo-staging and demo-prod, each in its own account (app-config.yaml's accounts: the backend
// assumes each environment's portal role; the bench acts as each account's administrator). Each round deploys a new release to staging, waits until it runs,
// promotes it as the guest (alice, an owner), and waits until the history row says rolled-out.
// Prints each round's recorded duration (the backend's, click → outcome) and what the client saw.
// Loopback only, free ports.
import path from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  TEST_REGION,
  createLocalAccounts,
  ecsClient,
  eventually,
  repoRoot,
  seedService,
  startBackend,
  startEmulator,
} from '@internal/dev-kit';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const runDir = path.join(repoRoot(), '.run/bench');
const NAME = 'payments-api';

const emulator = await startEmulator();
let backend;
try {
  const accounts = await createLocalAccounts(emulator.endpoint);
  const ecs = {
    staging: ecsClient(emulator.endpoint, TEST_REGION, accounts.staging),
    prod: ecsClient(emulator.endpoint, TEST_REGION, accounts.prod),
  };
  for (const env of ['staging', 'prod']) {
    await seedService(
      emulator.endpoint,
      env,
      NAME,
      `ghcr.io/acme/${NAME}:1.0.0`,
      { cluster: `demo-${env}`, desiredCount: 2, credentials: accounts[env] },
    );
  }
  backend = await startBackend({
    name: 'bench-follow-through',
    dir: runDir,
    awsEndpoint: emulator.endpoint,
    env: { LOG_LEVEL: 'warn' },
  });
  const token = await backend.guestToken();
  const api = `/api/ecs-deploy/entities/component/default/${NAME}`;
  const running = async env => {
    const [s] = (
      await ecs[env].send(
        new DescribeServicesCommand({
          cluster: `demo-${env}`,
          services: [NAME],
        }),
      )
    ).services;
    return (
      s.deployments.length === 1 &&
      s.deployments[0].rolloutState === 'COMPLETED' &&
      s.runningCount === s.desiredCount &&
      s
    );
  };
  const results = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await eventually('prod settled', () => running('prod'), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const staging = await eventually(
      'staging settled',
      () => running('staging'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const { taskDefinition: td } = await ecs.staging.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: staging.taskDefinition,
      }),
    );
    const { taskDefinition: next } = await ecs.staging.send(
      new RegisterTaskDefinitionCommand({
        family: td.family,
        requiresCompatibilities: td.requiresCompatibilities,
        networkMode: td.networkMode,
        cpu: td.cpu,
        memory: td.memory,
        executionRoleArn: td.executionRoleArn,
        taskRoleArn: td.taskRoleArn,
        containerDefinitions: td.containerDefinitions.map(c => ({
          ...c,
          image: `ghcr.io/acme/${NAME}:1.${round}.0`,
        })),
      }),
    );
    await ecs.staging.send(
      new UpdateServiceCommand({
        cluster: 'demo-staging',
        service: NAME,
        taskDefinition: next.taskDefinitionArn,
      }),
    );
    await eventually(
      'staging runs the release',
      async () =>
        (await running('staging'))?.taskDefinition === next.taskDefinitionArn,
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    const clicked = Date.now();
    const promoted = await backend.request(`${api}/promotions`, {
      method: 'POST',
      token,
      body: { from: 'staging', to: 'prod', reason: `bench round ${round}` },
    });
    if (promoted.status !== 201)
      throw new Error(
        `promotion answered ${promoted.status}: ${promoted.text}`,
      );
    const answered = Date.now() - clicked;
    const row = await eventually(
      'rolled-out',
      async () => {
        const { json } = await backend.request(`${api}/history?limit=5`, {
          token,
        });
        const r = json.items.find(i => i.id === promoted.json.audit.id);
        if (
          r?.outcome &&
          r.outcome !== 'in-progress' &&
          r.outcome !== 'rolled-out'
        )
          throw new Error(`outcome ${r.outcome}: ${r.outcomeMessage}`);
        return r?.outcome === 'rolled-out' && r;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    results.push({
      round,
      answeredMs: answered,
      recordedMs: row.durationMs,
      seenMs: Date.now() - clicked,
    });
    console.log(
      `round ${round}: POST answered in ${answered} ms; rolled-out recorded ${
        row.durationMs
      } ms after the click (${Date.now() - clicked} ms seen by the client)`,
    );
  }
  const recorded = results.map(r => r.recordedMs).sort((a, b) => a - b);
  console.log(
    `click → rolled-out (recorded): min ${recorded[0]} ms, median ${
      recorded[Math.floor(recorded.length / 2)]
    } ms, max ${recorded[recorded.length - 1]} ms over ${ROUNDS} rounds`,
  );
} finally {
  await backend?.stop();
  await emulator.stop();
}
