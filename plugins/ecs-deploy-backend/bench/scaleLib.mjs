// Helpers of bench/scale.mjs: the catalog file, concurrent viewers, the deploy day.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { percentile } from '@internal/dev-kit';

/** `backend` of replicas sharing PostgreSQL and Redis (a namespace of their own in Redis). */
export const sharedBackend = (pgUrl, redisUrl) => ({
  database: { client: 'pg', connection: pgUrl },
  cache: {
    store: 'redis',
    connection: redisUrl,
    redis: { client: { namespace: `bench-${Date.now()}` } },
  },
});

/** One catalog file with `teams` groups and a component per service (owner from `teamOf(index)`). */
export function catalogFile(dir, names, teamOf, teams) {
  const team = i => `team-${String(i).padStart(2, '0')}`;
  const docs = [
    ...Array.from({ length: teams }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team(i) },
      spec: { type: 'team', children: [] },
    })),
    ...names.map((name, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: { 'ecs-deploy.io/service-name': name } },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${team(teamOf(i))}`,
      },
    })),
  ];
  const file = path.join(dir, 'entities.yaml');
  writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return file;
}

/**
 * `count` distinct callers (static tokens) reading `paths` in turn over both replicas for
 * `seconds`: requests, errors, latency and AWS calls per second.
 */
export async function viewers({ proxy, replicas, paths, count, seconds }) {
  proxy.reset();
  const latencies = [];
  let errors = 0;
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: count }, async (_, v) => {
      for (let i = 0; Date.now() < until; i++) {
        const replica = replicas[(v + i) % replicas.length];
        const res = await replica
          .request(paths[i % paths.length], {
            token: replica.tokens[1 + (v % 50)],
          })
          .catch(() => ({ status: 0, ms: 0 }));
        if (res.status !== 200) errors++;
        latencies.push(res.ms);
      }
    }),
  );
  const secs = (Date.now() - started) / 1000;
  return (
    `${count} viewer(s) over ${replicas.length} replicas for ${secs.toFixed(
      0,
    )} s: ${latencies.length} requests ` +
    `(${(latencies.length / secs).toFixed(
      1,
    )}/s), errors ${errors}, p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
    `p95 ${percentile(latencies, 95).toFixed(0)} ms, AWS calls ${(
      proxy.total() / secs
    ).toFixed(2)}/s`
  );
}

/**
 * A deploy day in miniature: each service promoted, rolled back and promoted again, alternating
 * replicas, 10 services at a time; then the audit trail and the locks are checked in PostgreSQL.
 */
export async function deployDay({ replicas, names, token, pgUrl }) {
  const started = new Date();
  const statuses = new Map();
  /** Step 0 and 2 promote, step 1 rolls back; replicas alternate by step and service. */
  const act = async (name, step, offset) => {
    const replica = replicas[(step + offset) % replicas.length];
    const entity = `/api/ecs-deploy/entities/component/default/${name}`;
    const res =
      step === 1
        ? await replica.request(`${entity}/rollbacks`, {
            method: 'POST',
            token,
            body: { environment: 'prod', reason: 'bench' },
          })
        : await replica.request(`${entity}/promotions`, {
            method: 'POST',
            token,
            body: { from: 'staging', to: 'prod', reason: 'bench' },
          });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  };
  const t0 = Date.now();
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(
      names.slice(i, i + 10).map(async (name, j) => {
        for (let step = 0; step < 3; step++) await act(name, step, j);
      }),
    );
  }
  const ms = Date.now() - t0;
  const db = new pg.Client({
    connectionString: pgUrl.replace(/\/[^/]*$/, '/backstage_plugin_ecs-deploy'),
  });
  await db.connect();
  try {
    const refs = names.map(n => `component:default/${n}`);
    // The caller's own attempts (the follow-through may add rows of its own, actor system).
    const rows = (
      await db.query(
        "select result, count(*)::int as n from ecs_deploy_audit where entity_ref = any($1) and created_at >= $2 and actor = 'user:default/alice' group by result",
        [refs, started],
      )
    ).rows;
    const audited = rows.reduce((sum, r) => sum + r.n, 0);
    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    const locks = (
      await db.query('select count(*)::int as n from ecs_deploy_locks')
    ).rows[0].n;
    return (
      `deploy day: ${requests} promotions and rollbacks over ${names.length} services through ${replicas.length} replicas in ${ms} ms; ` +
      `HTTP ${JSON.stringify(
        Object.fromEntries(statuses),
      )}; audit rows ${audited} for ${requests} requests ` +
      `(${
        audited === requests ? 'each audited exactly once' : 'MISMATCH'
      }) by result ${JSON.stringify(
        Object.fromEntries(rows.map(r => [r.result, r.n])),
      )}; ` +
      `locks left ${locks}`
    );
  } finally {
    await db.end();
  }
}
