// Helpers of bench/events.mjs: the environments' accounts and their events queues, seeding
// thousands of services in-process, the two replicas on PostgreSQL + Redis, org views, viewers,
// and ECS calls per account.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  LOCAL_ACCOUNTS,
  TEST_REGION,
  bulkSeed,
  createEventsQueue,
  ecsClient,
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

/**
 * Which local account (LOCAL_ACCOUNTS, app-config.yaml's aws.accounts) each environment lives in:
 * dev beside staging in the non-production account, prod in its own.
 */
export const ACCOUNT_OF = { dev: 'staging', staging: 'staging', prod: 'prod' };

/** The account ID of environment `env`. */
export const accountIdOf = env => LOCAL_ACCOUNTS[ACCOUNT_OF[env]];

/** `env => ECSClient` in the environment's account, as its administrator (`admins`). */
export function accountEcs(endpoint, admins) {
  const clients = Object.fromEntries(
    Object.entries(admins).map(([key, credentials]) => [
      key,
      ecsClient(endpoint, TEST_REGION, credentials),
    ]),
  );
  return env => clients[ACCOUNT_OF[env]];
}

/** `ecsDeploy.environments`: one cluster per environment, each in its account. */
export const environments = (endpoint, envNames) =>
  envNames.map(env => ({
    name: env,
    region: TEST_REGION,
    cluster: `bench-${env}`,
    accountId: accountIdOf(env),
    endpoint,
  }));

/**
 * In each account of `envNames`, as its administrator (`admins`, createLocalAccounts' answer),
 * the queue `name` and the default bus's rules that deliver the account's ECS events to it, as
 * terraform-modules/portal-events creates them (the dev kit's createEventsQueue). Returns
 * `ecsDeploy.events.queues`: each account's queue, read with that account's portal role
 * (app-config.yaml's aws.accounts), straight from the emulator.
 */
export async function accountQueues(endpoint, envNames, admins, name) {
  const queues = [];
  for (const key of new Set(envNames.map(env => ACCOUNT_OF[env]))) {
    const { queueUrl } = await createEventsQueue(endpoint, {
      name,
      credentials: admins[key],
    });
    queues.push({
      queueUrl,
      region: TEST_REGION,
      accountId: LOCAL_ACCOUNTS[key],
      endpoint,
    });
  }
  return queues;
}

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
      {
        account: accountIdOf(env),
        region: TEST_REGION,
        cluster: `bench-${env}`,
      },
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

/**
 * Resolves once the last seeded service of every environment has completed its rollout, read
 * with `ecsOf(env)`, a client of the environment's account.
 */
export async function rolloutsSettled(ecsOf, envNames, name) {
  for (const env of envNames) {
    for (;;) {
      const { services } = await ecsOf(env).send(
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
 * tokens each; `awsEndpoint` gives them STS there and the main account's keys, with which they
 * assume each environment's portal role (app-config.yaml's aws.accounts).
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

/**
 * The portal's AWS calls that passed `proxy` (STS left out), by the account and role that made
 * them: `{ '111111111111 backstage-ecs-deploy': 120, … }`.
 */
export function callsByAccount(proxy) {
  const byAccount = {};
  for (const { account, role, action, count } of proxy.calls()) {
    if (action.startsWith('sts:')) continue;
    const key = `${account} ${role ?? '(main account keys)'}`;
    byAccount[key] = (byAccount[key] ?? 0) + count;
  }
  return byAccount;
}

/**
 * The emulator's ECS throttling counters per account (every ECS call counts, the portal's and
 * the changes made straight through ECS): `{ account: { allowed, throttled } }`.
 */
export async function ecsCountersByAccount(endpoint) {
  const res = await fetch(`${endpoint}/_emulator/throttling`);
  if (!res.ok) {
    throw new Error(`throttling report of ${endpoint} answered ${res.status}`);
  }
  const { accounts } = await res.json();
  return Object.fromEntries(
    Object.entries(accounts).map(([account, actions]) => [
      account,
      Object.values(actions).reduce(
        (total, c) => ({
          allowed: total.allowed + c.allowed,
          throttled: total.throttled + c.throttled,
        }),
        { allowed: 0, throttled: 0 },
      ),
    ]),
  );
}

/** What `ecsCountersByAccount` counted between `before` and `now`, per account. */
export const countersSince = (now, before) =>
  Object.fromEntries(
    Object.entries(now).map(([account, c]) => [
      account,
      {
        allowed: c.allowed - (before[account]?.allowed ?? 0),
        throttled: c.throttled - (before[account]?.throttled ?? 0),
      },
    ]),
  );
