#!/usr/bin/env node
// Load and fault suite (issue 7), loopback only and bounded in time:
//  - 50 concurrent viewers on a team view: no errors, ECS call rate independent of the viewer count
//  - throttling and 5xx injected in front of ECS: retried, served stale with a marker, no crash
//  - the emulator stopped mid-run: per-environment errors, backend up, recovery when it is back
//  - UpdateService failing after RegisterTaskDefinition: failure audited, nothing left that blocks
//  - two backend replicas (separate processes) on one PostgreSQL: 100 promotions of one entity and
//    100 over ten entities → each entity promoted exactly once, every attempt audited
// Ends with "load-faults: N passed, N failed"; writes "N M" to $RESULTS_DIR/load-faults.counts.
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAwsProxy } from './awsProxy.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const VIEWERS = 50;
const motoPort = 4660;
const pgPort = 5460;
const ports = [7160, 7161];
const runDir = path.join(root, '.run/load-faults');
mkdirSync(runDir, { recursive: true });
const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
const sleep = ms => new Promise(r => setTimeout(r, ms));
let passed = 0;
let failed = 0;
async function check(name, fn) {
  const started = Date.now();
  try {
    const note = await fn();
    passed++;
    console.log(`  ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${note ? `\n        ${note}` : ''}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}: ${e.message}`);
  }
}
const assert = (cond, message) => {
  if (!cond) throw new Error(message);
};

const LOAD = Array.from({ length: 20 }, (_, i) => `load-${String(i).padStart(2, '0')}`);
const PROMO = Array.from({ length: 10 }, (_, i) => `promo-${i}`);
const SOLO = 'promo-solo';
const BROKEN = 'promo-broken';
const ALL = [...LOAD, ...PROMO, SOLO, BROKEN];
const image = (name, v) => `ghcr.io/acme/${name}:${v}`;

async function seed(endpoint) {
  const ecs = new ECSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const env of ['staging', 'prod']) {
    await ecs.send(new CreateClusterCommand({ clusterName: `lf-${env}` }));
    await Promise.all(ALL.map(async name => {
      const td = await ecs.send(new RegisterTaskDefinitionCommand({
        family: `${name}-${env}`, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
        containerDefinitions: [{ name: 'app', image: image(name, env === 'staging' ? '2.0.0' : '1.0.0'),
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${env}/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } } }],
      }));
      await ecs.send(new CreateServiceCommand({ cluster: `lf-${env}`, serviceName: name, taskDefinition: td.taskDefinition.taskDefinitionArn, desiredCount: 1, launchType: 'FARGATE' }));
    }));
  }
  return ecs;
}

const moto = sh('scripts/moto.sh', ['start'], { MOTO_PORT: String(motoPort) });
const proxy = await startAwsProxy({ target: moto });
const backends = [];
try {
  let ecs = await seed(moto);
  const pgUrl = sh('scripts/postgres.sh', ['start'], { PG_PORT: String(pgPort) });
  const entities = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-load\nspec:\n  type: team\n  children: []\n',
    ...ALL.map(name => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n    ecs-deploy.io/service-name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-load\n`),
  ].join('---\n');
  writeFileSync(path.join(runDir, 'entities.yaml'), entities);
  for (const port of ports) {
    writeFileSync(path.join(runDir, `app-config.${port}.yaml`), `
backend:
  baseUrl: http://127.0.0.1:${port}
  listen: { port: ${port}, host: 127.0.0.1 }
  database:
    client: pg
    connection: '${pgUrl}'
auth:
  providers:
    guest:
      userEntityRef: user:default/loader
      ownershipEntityRefs: [user:default/loader, group:default/team-load]
catalog:
  locations: [{ type: file, target: ${path.join(runDir, 'entities.yaml')} }]
ecsDeploy:
  environments:
    - { name: staging, region: us-east-1, cluster: lf-staging, accountId: '123456789012', endpoint: ${proxy.endpoint} }
    - { name: prod, region: us-east-1, cluster: lf-prod, accountId: '123456789012', endpoint: ${proxy.endpoint} }
  promotionPaths: [{ from: staging, to: prod, requireHealthySource: false }]
  cache: { statusTtlSeconds: 2, staleTtlSeconds: 600 }
  aws: { maxAttempts: 5 }
`);
  }
  // Start the replicas one after the other (the first runs the migrations).
  for (const port of ports) {
    const child = spawn('yarn', ['start', '--config', path.join(root, 'app-config.yaml'), '--config', path.join(runDir, `app-config.${port}.yaml`)], {
      cwd: path.join(root, 'packages/backend'),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'ignore'],
      detached: true,
    });
    backends.push(child);
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/.backstage/health/v1/readiness`)).ok) break;
      } catch { /* starting */ }
      assert(Date.now() < deadline, `backend on ${port} not ready within 180 s`);
      await sleep(500);
    }
  }
  const tokens = await Promise.all(ports.map(async port => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/guest/refresh`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
    return (await res.json()).backstageIdentity.token;
  }));
  const call = async (i, method, url, body) => {
    const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/api/ecs-deploy${url}`, {
      method,
      headers: { authorization: `Bearer ${tokens[i % 2]}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const team = '/teams/default/team-load/status';
  for (let i = 0; ; i++) {
    const r = await call(0, 'GET', team);
    if (r.status === 200 && r.body.rows.length === ALL.length) break;
    assert(i < 240, `catalog not ready: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    await sleep(500);
  }

  const viewers = async (count, seconds) => {
    proxy.reset();
    let requests = 0;
    const errors = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: count }, async (_, v) => {
      while (Date.now() < until) {
        const r = await call(v, 'GET', team).catch(e => ({ status: 0, body: e.message }));
        requests++;
        if (r.status !== 200) errors.push(r.status);
        else if (count > 1) await sleep(200); // a viewer re-polls, it does not hammer
      }
    }));
    return { requests, errors, ecsPerSecond: proxy.total() / seconds };
  };

  await check(`${VIEWERS} concurrent viewers for ${LOAD_SECONDS} s on two replicas: no errors, ECS call rate independent of viewers`, async () => {
    // Baseline: one viewer on each replica.
    const few = await viewers(2, 15);
    const many = await viewers(VIEWERS, LOAD_SECONDS);
    assert(few.errors.length === 0 && many.errors.length === 0, `errors: ${many.errors.slice(0, 5)}`);
    // Each replica refreshes each environment at most once per TTL, whatever the number of viewers.
    assert(many.ecsPerSecond <= few.ecsPerSecond * 1.25 + 0.5, `ECS calls/s grew from ${few.ecsPerSecond.toFixed(2)} to ${many.ecsPerSecond.toFixed(2)}`);
    return `2 viewers: ${few.requests} requests, ECS ${few.ecsPerSecond.toFixed(2)} calls/s; ${VIEWERS} viewers: ${many.requests} requests (${(many.requests / LOAD_SECONDS).toFixed(1)}/s), ECS ${many.ecsPerSecond.toFixed(2)} calls/s`;
  });

  for (const kind of ['throttle', '5xx']) {
    await check(`${kind === 'throttle' ? 'throttling' : '5xx'} from ECS on 40% of calls: retried or served stale with a marker, never an error`, async () => {
      proxy.setFault({ kind, rate: 0.4 });
      let stale = 0;
      let fresh = 0;
      const until = Date.now() + 12_000;
      while (Date.now() < until) {
        const r = await call(fresh + stale, 'GET', team);
        assert(r.status === 200, `status ${r.status}`);
        for (const row of r.body.rows) {
          for (const cell of Object.values(row.environments)) {
            assert(cell.health !== 'unknown', `${row.entityRef}: unknown (${cell.error?.message})`);
            if (cell.stale) { assert(cell.error, 'stale without error'); stale++; } else fresh++;
          }
        }
        await sleep(300);
      }
      proxy.setFault(null);
      return `${fresh} fresh cells, ${stale} stale cells marked with the error`;
    });
  }

  await check('emulator stopped mid-run: per-environment errors, backend stays up, recovers when it is back', async () => {
    sh('scripts/moto.sh', ['stop'], { MOTO_PORT: String(motoPort) });
    await sleep(2500); // past the status TTL
    const down = await call(0, 'GET', '/entities/component/default/load-00/status');
    assert(down.status === 200, `status ${down.status}`);
    for (const env of down.body.environments) {
      assert(env.error && env.stale, `${env.environment}: ${JSON.stringify(env).slice(0, 200)}`);
    }
    const health = await fetch(`http://127.0.0.1:${ports[0]}/.backstage/health/v1/readiness`);
    assert(health.ok, 'backend not ready while the emulator is down');
    sh('scripts/moto.sh', ['start'], { MOTO_PORT: String(motoPort) });
    ecs = await seed(moto);
    await sleep(2500);
    const back = await call(0, 'GET', '/entities/component/default/load-00/status');
    for (const env of back.body.environments) {
      assert(!env.error && !env.stale && env.service, `${env.environment} did not recover: ${JSON.stringify(env.error)}`);
    }
    return `while down: "${down.body.environments[0].error.message}"`;
  });

  await check('UpdateService failing after RegisterTaskDefinition: audited as failed, nothing left that blocks the next attempt', async () => {
    proxy.setFault({ kind: '5xx', rate: 1, action: 'UpdateService' });
    const failedAttempt = await call(0, 'POST', `/entities/component/default/${BROKEN}/promotions`, { from: 'staging', to: 'prod' });
    proxy.setFault(null);
    assert(failedAttempt.status === 503, `status ${failedAttempt.status}: ${JSON.stringify(failedAttempt.body).slice(0, 300)}`);
    const families = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: `${BROKEN}-prod`, status: 'ACTIVE' }));
    assert(families.taskDefinitionArns.length === 1, `orphan revisions: ${families.taskDefinitionArns}`);
    const history = await call(1, 'GET', `/entities/component/default/${BROKEN}/history`);
    assert(history.body.items[0].result === 'failed', JSON.stringify(history.body.items[0]));
    const retry = await call(1, 'POST', `/entities/component/default/${BROKEN}/promotions`, { from: 'staging', to: 'prod' });
    assert(retry.status === 201, `retry status ${retry.status}: ${JSON.stringify(retry.body).slice(0, 300)}`);
    return `first attempt: ${failedAttempt.body.error.message}`;
  });

  const promoteMany = async (names, attempts) => {
    const results = await Promise.all(Array.from({ length: attempts }, (_, i) =>
      call(i, 'POST', `/entities/component/default/${names[i % names.length]}/promotions`, { from: 'staging', to: 'prod' })));
    for (const name of names) {
      const mine = results.filter((_, i) => names[i % names.length] === name);
      const ok = mine.filter(r => r.status === 201).length;
      const conflicts = mine.filter(r => r.status === 409).length;
      const odd = mine.find(r => r.status !== 201 && r.status !== 409);
      assert(ok === 1 && conflicts === mine.length - 1, `${name}: ${ok} succeeded, statuses ${[...new Set(mine.map(r => r.status))]} ${odd ? JSON.stringify(odd.body?.error?.message) : ''}`);
      const svc = await ecs.send(new DescribeServicesCommand({ cluster: 'lf-prod', services: [name] }));
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.services[0].taskDefinition }));
      assert(td.taskDefinition.containerDefinitions[0].image === image(name, '2.0.0'), `${name} runs ${td.taskDefinition.containerDefinitions[0].image}`);
      const history = await call(0, 'GET', `/entities/component/default/${name}/history?limit=500`);
      assert(history.body.items.length === mine.length, `${name}: ${history.body.items.length} audit rows for ${mine.length} attempts`);
      assert(history.body.items.filter(h => h.result === 'succeeded').length === 1, `${name}: succeeded rows`);
    }
  };

  await check('two replicas, one PostgreSQL: 100 promotions of one entity → exactly one, 100 audit rows', () => promoteMany([SOLO], 100));
  await check('two replicas, one PostgreSQL: 100 promotions over ten entities → each exactly once, every attempt audited', () => promoteMany(PROMO, 100));

  await check('both replicas still serve after the suite', async () => {
    for (const i of [0, 1]) {
      const r = await call(i, 'GET', team);
      assert(r.status === 200, `replica ${i}: ${r.status}`);
    }
  });
} catch (e) {
  failed++;
  console.log(`  FAIL  setup: ${e.message}`);
} finally {
  for (const child of backends) {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  await sleep(1500);
  for (const child of backends) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  await proxy.close();
  sh('scripts/moto.sh', ['stop'], { MOTO_PORT: String(motoPort) });
  sh('scripts/postgres.sh', ['stop'], { PG_PORT: String(pgPort) });
  console.log(`load-faults: ${passed} passed, ${failed} failed`);
  if (process.env.RESULTS_DIR) writeFileSync(path.join(process.env.RESULTS_DIR, 'load-faults.counts'), `${passed} ${failed}\n`);
  process.exit(failed === 0 ? 0 : 1);
}
