#!/usr/bin/env node
// Benchmark of the team view over many services (yarn bench:status).
// Seeds a private moto_server with N services (default 200) in each of staging and prod, starts
// the backend (dev mode) with a catalog of N components owned by one team and the ECS endpoint
// behind a counting proxy, then prints ECS calls and latency: cold, warm, and with 50 concurrent
// viewers for a bounded time. Loopback only.
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAwsProxy } from './awsProxy.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const N = Number(process.env.BENCH_SERVICES ?? 200);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const TTL = Number(process.env.BENCH_TTL_SECONDS ?? 10);
const motoPort = 4650;
const port = 7150;
const base = `http://127.0.0.1:${port}`;
const token = randomBytes(24).toString('hex');
// One static token per simulated viewer, so that distinct callers can be measured too.
const viewerTokens = Array.from({ length: VIEWERS }, () => randomBytes(24).toString('hex'));
const runDir = path.join(root, '.run/bench');
mkdirSync(runDir, { recursive: true });

const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
};

const moto = sh('scripts/moto.sh', ['start'], { MOTO_PORT: String(motoPort) });
const proxy = await startAwsProxy({ target: moto });
let backend;
try {
  // Seed the emulator directly (not through the proxy).
  const ecs = new ECSClient({ region: 'us-east-1', endpoint: moto, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const seedStart = Date.now();
  for (const env of ['staging', 'prod']) {
    await ecs.send(new CreateClusterCommand({ clusterName: `bench-${env}` }));
    for (let i = 0; i < N; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, N - i) }, async (_, j) => {
          const name = `svc-${String(i + j).padStart(3, '0')}`;
          const td = await ecs.send(new RegisterTaskDefinitionCommand({
            family: `${name}-${env}`, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
            containerDefinitions: [{ name: 'app', image: `ghcr.io/acme/${name}:${env === 'prod' && (i + j) % 3 === 0 ? '1.0.0' : '1.1.0'}`,
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${env}/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } } }],
          }));
          await ecs.send(new CreateServiceCommand({ cluster: `bench-${env}`, serviceName: name, taskDefinition: td.taskDefinition.taskDefinitionArn, desiredCount: 1, launchType: 'FARGATE' }));
        }),
      );
    }
  }
  console.log(`seeded ${N} services in each of staging and prod in ${Date.now() - seedStart} ms`);

  const entities = [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-bench\nspec:\n  type: team\n  children: []\n',
    ...Array.from({ length: N }, (_, i) => {
      const name = `svc-${String(i).padStart(3, '0')}`;
      return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n    ecs-deploy.io/service-name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-bench\n`;
    }),
  ].join('---\n');
  writeFileSync(path.join(runDir, 'entities.yaml'), entities);
  writeFileSync(path.join(runDir, 'app-config.bench.yaml'), `
backend:
  baseUrl: ${base}
  listen: { port: ${port}, host: 127.0.0.1 }
  auth:
    externalAccess:
      - type: static
        options: { token: '\${BENCH_TOKEN}', subject: bench }
${viewerTokens.map((t, i) => `      - type: static\n        options: { token: '${t}', subject: viewer-${i} }`).join('\n')}
catalog:
  locations: [{ type: file, target: ${path.join(runDir, 'entities.yaml')} }]
ecsDeploy:
  environments:
    - { name: staging, region: us-east-1, cluster: bench-staging, accountId: '123456789012', endpoint: ${proxy.endpoint} }
    - { name: prod, region: us-east-1, cluster: bench-prod, accountId: '123456789012', endpoint: ${proxy.endpoint} }
  promotionPaths: [{ from: staging, to: prod }]
  cache: { statusTtlSeconds: ${TTL} }
`);
  backend = spawn('yarn', ['start', '--config', path.join(root, 'app-config.yaml'), '--config', path.join(runDir, 'app-config.bench.yaml')], {
    cwd: path.join(root, 'packages/backend'),
    env: { ...process.env, BENCH_TOKEN: token, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const get = async (url, as = token) => {
    const started = performance.now();
    const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${as}` } });
    const body = await res.json();
    return { status: res.status, body, ms: performance.now() - started };
  };
  for (let i = 0; ; i++) {
    try {
      const r = await get('/api/catalog/entities/by-query?filter=kind=component&limit=1&totalItems=include');
      if (r.body.totalItems >= N) break;
    } catch { /* starting */ }
    if (i > 300) throw new Error('backend or catalog not ready within 150 s');
    await new Promise(r => setTimeout(r, 500));
  }
  const team = '/api/ecs-deploy/teams/default/team-bench/status';

  proxy.reset();
  const cold = await get(team);
  const coldCalls = Object.fromEntries(proxy.counts);
  const lagging = cold.body.rows.filter(r => r.lags[0]?.lagging).length;
  console.log(`\ncold team view: ${cold.status}, ${cold.body.rows.length} rows (${lagging} with prod behind staging), ${cold.ms.toFixed(0)} ms, ECS calls ${JSON.stringify(coldCalls)}`);

  proxy.reset();
  const warm = await get(team);
  console.log(`warm team view: ${warm.status}, ${warm.ms.toFixed(0)} ms, ECS calls ${proxy.total()}`);

  await new Promise(r => setTimeout(r, TTL * 1000 + 200));
  proxy.reset();
  const expired = await get(team);
  console.log(`after the ${TTL}s TTL: ${expired.ms.toFixed(0)} ms, ECS calls ${JSON.stringify(Object.fromEntries(proxy.counts))} (task definitions stay cached)`);

  const viewers = async (label, tokenOf) => {
    proxy.reset();
    const latencies = [];
    let errors = 0;
    const until = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: VIEWERS }, async (_, v) => {
        while (Date.now() < until) {
          const r = await get(team, tokenOf(v)).catch(() => ({ status: 0, ms: 0 }));
          if (r.status !== 200) errors++;
          latencies.push(r.ms);
        }
      }),
    );
    const secs = (Date.now() - started) / 1000;
    console.log(
      `${VIEWERS} concurrent viewers (${label}) for ${secs.toFixed(0)} s: ${latencies.length} requests (${(latencies.length / secs).toFixed(1)}/s), ` +
        `errors ${errors}, latency p50 ${pct(latencies, 50).toFixed(0)} ms p95 ${pct(latencies, 95).toFixed(0)} ms max ${Math.max(...latencies).toFixed(0)} ms, ` +
        `ECS calls ${proxy.total()} (${(proxy.total() / secs).toFixed(2)}/s) ${JSON.stringify(Object.fromEntries(proxy.counts))}`,
    );
  };
  await viewers('one caller, e.g. a wall screen', () => token);
  await viewers('50 distinct callers', v => viewerTokens[v]);
  console.log(`rss of the benchmark driver ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  if (backend) {
    try { process.kill(-backend.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  await proxy.close();
  sh('scripts/moto.sh', ['stop'], { MOTO_PORT: String(motoPort) });
}
process.exit(0);
