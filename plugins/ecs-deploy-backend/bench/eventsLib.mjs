// Helpers of bench/events.mjs: seeding thousands of services in-process, the two replicas on PostgreSQL
// + Redis, org views, viewers and changes made straight through the ECS API.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  bulkSeed,
  percentile,
  repoRoot,
  sleep,
  startBackend,
} from '@internal/dev-kit';

const run = promisify(execFile);

/** `scripts/postgres.sh` or `scripts/redis.sh` `start|stop` on `port`; what it prints (the URL). */
export async function store(script, action, env) {
  const { stdout } = await run(`scripts/${script}.sh`, [action], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
  });
  return stdout.trim();
}

/**
 * How many of the plugin's cache keys in the Redis on `port` start with `prefix` (the cache
 * stores each key base64-encoded after its namespace). SCAN, not KEYS: Redis keeps serving.
 */
export async function countKeys(port, prefix) {
  const { stdout } = await run(
    'redis-cli',
    ['-h', '127.0.0.1', '-p', port, '--scan', '--pattern', '*:ecs-deploy:*'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter(key =>
      Buffer.from(key.split(':').pop(), 'base64').toString().startsWith(prefix),
    ).length;
}

/** `ecsDeploy.environments`: one cluster per environment, all in the main account and region. */
export const environments = (endpoint, envNames) =>
  envNames.map(env => ({
    name: env,
    region: TEST_REGION,
    cluster: `bench-${env}`,
    accountId: TEST_ACCOUNT,
    endpoint,
  }));

/**
 * Each of `names` in each environment as ECS sees a service of terraform-modules/ecs-service: a
 * task definition (family `<name>-<env>`, one container `app`) and a service with the contract
 * tags, created in-process through the emulator's seed hook (bulkSeed; no roles, log groups or
 * parameters, which the status path never reads). Returns the milliseconds it took.
 */
export async function seedFast(endpoint, envNames, names) {
  const started = Date.now();
  for (const env of envNames) {
    await bulkSeed(
      endpoint,
      { account: TEST_ACCOUNT, region: TEST_REGION, cluster: `bench-${env}` },
      names.map(name => {
        const entityRef = {
          key: 'backstage:entity-ref',
          value: `component:default/${name}`,
        };
        return {
          taskDefinition: {
            family: `${name}-${env}`,
            requiresCompatibilities: ['FARGATE'],
            networkMode: 'awsvpc',
            cpu: '256',
            memory: '512',
            containerDefinitions: [
              {
                name: 'app',
                image: `ghcr.io/acme/${name}:1.0.0`,
                essential: true,
                portMappings: [{ containerPort: 8080 }],
              },
            ],
            tags: [entityRef],
          },
          service: {
            serviceName: name,
            desiredCount: 1,
            launchType: 'FARGATE',
            tags: [entityRef, { key: 'backstage:environment', value: env }],
          },
        };
      }),
    );
  }
  return Date.now() - started;
}

/** Resolves once the last seeded service of every environment has completed its rollout. */
export async function rolloutsSettled(ecs, envNames, name) {
  for (const env of envNames) {
    for (;;) {
      const { services } = await ecs.send(
        new DescribeServicesCommand({
          cluster: `bench-${env}`,
          services: [name],
        }),
      );
      const s = services?.[0];
      if (
        s?.deployments?.length === 1 &&
        s.deployments[0].rolloutState === 'COMPLETED'
      )
        break;
      await sleep(1000);
    }
  }
}

/**
 * The two replicas, one after the other (ours wait for each other's migrations on an advisory
 * lock, migrations.test; Backstage's own plugins' migrations are not shown to), `tokens` static
 * tokens each; `awsEndpoint` gives
 * them the emulator's STS and the main account's keys (the environments are in its main account).
 */
export async function startReplicas({
  dir,
  config,
  tokens,
  label,
  awsEndpoint,
}) {
  const replicas = [];
  for (const name of ['a', 'b']) {
    replicas.push(
      await startBackend({
        name: `events-${label}-${name}`,
        dir,
        awsEndpoint,
        staticTokens: tokens,
        config,
        env: { LOG_LEVEL: 'warn' },
        readyTimeoutMs: 600_000,
      }),
    );
  }
  return replicas;
}

const ORG = '/api/ecs-deploy/services?limit=50';

/** One org view as the page opens it (the first 50 rows of the whole organisation). */
export const orgView = (replica, token, offset = 0) =>
  replica.request(`${ORG}&offset=${offset}`, { token });

/** Rows of an org view page whose cell could not be read (no state). */
export const unreadRows = res =>
  (res.json?.rows ?? []).filter(row =>
    Object.values(row.environments).some(
      c => c.error || c.health === 'unknown',
    ),
  ).length;

/**
 * `count` viewers (each its own caller) with the org view open on either replica, each reloading
 * a page of it every `everyMs` until `until()`: latencies and errors.
 */
export async function viewers({ replicas, count, everyMs, pages, active }) {
  const latencies = [];
  let errors = 0;
  let throttledRows = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, v) => {
      await sleep((v * everyMs) / count); // spread over the interval
      for (let i = 0; active(); i++) {
        const replica = replicas[(v + i) % replicas.length];
        const res = await orgView(
          replica,
          replica.tokens[1 + v],
          ((v + i) % pages) * 50,
        ).catch(() => ({ status: 0, ms: 0 }));
        if (res.status !== 200) errors++;
        throttledRows += (res.json?.rows ?? []).filter(row =>
          Object.values(row.environments).some(c =>
            /throttl|rate exceeded/i.test(c.error?.message ?? ''),
          ),
        ).length;
        latencies.push(res.ms);
        await sleep(everyMs);
      }
    }),
  );
  return {
    requests: latencies.length,
    errors,
    throttledRows,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

/** The revision an entity page shows for `name` in `env`. */
export async function shownRevision(replica, token, name, env) {
  const res = await replica.request(
    `/api/ecs-deploy/entities/component/default/${name}/status`,
    { token },
  );
  return res.json?.environments?.find(e => e.environment === env)?.service
    ?.taskDefinition.revision;
}
