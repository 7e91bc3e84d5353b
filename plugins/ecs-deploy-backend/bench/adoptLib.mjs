// Helpers of bench/adopt.mjs: the legacy services' shapes, seeding them through the AWS SDK,
// what ECS runs of them (but for tags), and the phase figures read back from the import tasks'
// logs.
import {
  CreateClusterCommand,
  DescribeServicesCommand,
} from '@aws-sdk/client-ecs';
import {
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { writeFileSync } from 'node:fs';
import {
  autoscalingClient,
  eventually,
  TEST_REGION,
  createLoadBalancer,
  ecsClient,
  seedEnvironment,
  seedLegacyService,
  withoutThrottling,
} from '@internal/dev-kit';

export const seconds = ms => `${(ms / 1000).toFixed(1)} s`;

/** `legacy-000` … for `n` services. */
export const legacyNames = n =>
  Array.from({ length: n }, (_, i) => `legacy-${String(i).padStart(3, '0')}`);

/** The shape of service i. */
export const shapeOf = i => {
  const fargate = i % 2 === 0;
  return {
    fargate,
    containers: 1 + (i % 3),
    autoscaling: i % 4 === 1,
    loadBalancer: fargate && i % 10 === 0,
  };
};

/** Target-tracking autoscaling of a seeded service, as a team would have set it up. */
async function seedAutoscaling(aas, name) {
  const resourceId = `service/bench-staging/${name}`;
  await aas.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 4,
    }),
  );
  await aas.send(
    new PutScalingPolicyCommand({
      PolicyName: `${name}-cpu`,
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
        },
      },
    }),
  );
}

/**
 * The staging environment (cluster bench-staging) with `names` as legacy services in the shapes
 * of {@link shapeOf}, created through the AWS SDK (10 at once), and prod's empty cluster.
 */
export async function seedLegacy(endpoint, accounts, names) {
  const credentials = accounts.staging;
  const aas = autoscalingClient(endpoint, TEST_REGION, credentials);
  await withoutThrottling(endpoint, async () => {
    await seedEnvironment(endpoint, 'staging', {
      cluster: 'bench-staging',
      credentials,
    });
    await ecsClient(endpoint, TEST_REGION, accounts.prod).send(
      new CreateClusterCommand({ clusterName: 'bench-prod' }),
    );
    for (let i = 0; i < names.length; i += 10) {
      await Promise.all(
        names.slice(i, i + 10).map(async (name, k) => {
          const shape = shapeOf(i + k);
          const image = `ghcr.io/acme/${name}:2.${i + k}.0`;
          const lb = shape.loadBalancer
            ? await createLoadBalancer(endpoint, `lb-${name}`, { credentials })
            : undefined;
          await seedLegacyService(endpoint, 'staging', name, image, {
            cluster: 'bench-staging',
            launchType: shape.fargate ? 'FARGATE' : 'EC2',
            containers: Array.from({ length: shape.containers }, (_, c) => ({
              name: c === 0 ? 'app' : `sidecar-${c}`,
              image: c === 0 ? image : 'envoy:v1.30',
              ...(c === 0 && { port: 8080 }),
            })),
            tags: { team: 'payments', 'cost-center': `cc-${(i + k) % 7}` },
            credentials,
            ...(lb && { targetGroupArn: lb.targetGroupArn }),
          });
          if (shape.autoscaling) await seedAutoscaling(aas, name);
        }),
      );
    }
  });
  const shapes = names.map((_, i) => shapeOf(i));
  const count = f => shapes.filter(f).length;
  return `Fargate ${count(s => s.fargate)}, EC2 ${count(
    s => !s.fargate,
  )}; containers 1/2/3: ${[1, 2, 3]
    .map(c => count(s => s.containers === c))
    .join('/')}; autoscaling ${count(
    s => s.autoscaling,
  )}; load balancer ${count(s => s.loadBalancer)}`;
}

/** What ECS runs of `names`, but for tags (must not change), and each one's entity-ref tag. */
export async function snapshot(ecs, names) {
  const out = new Map();
  for (let i = 0; i < names.length; i += 10) {
    const { services } = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'bench-staging',
        services: names.slice(i, i + 10),
        include: ['TAGS'],
      }),
    );
    for (const s of services ?? []) {
      out.set(s.serviceName, {
        settings: JSON.stringify({
          taskDefinition: s.taskDefinition,
          desiredCount: s.desiredCount,
          launchType: s.launchType,
          loadBalancers: s.loadBalancers,
          networkConfiguration: s.networkConfiguration,
          deploymentConfiguration: s.deploymentConfiguration,
          deployments: s.deployments?.length,
        }),
        entityRef: s.tags?.find(t => t.key === 'backstage:entity-ref')?.value,
      });
    }
  }
  return out;
}

/**
 * The import tasks' phase lines ("phases (30 services imported together): batch-files 0.4 s, init
 * 2.1 s, apply 30.2 s, plan 12.0 s, split 0.3 s", "phases (60 services): read …, render …",
 * "phases (10 own roots): verify …") summed, in seconds per phase: the time of every batch,
 * whichever task ran it (tasks at once overlap).
 */
export function phaseFigures(log) {
  const sums = new Map();
  for (const [, list] of log.matchAll(/phases \([^)]*\): ([^\n]*)/g)) {
    for (const [, phase, s] of list.matchAll(/([a-z-]+) (\d+(?:\.\d+)?) s/g)) {
      sums.set(phase, (sums.get(phase) ?? 0) + Number(s));
    }
  }
  return sums;
}

/**
 * Waits for the scaffolder task `id` to end; its log (written to `logFile`), status, the publish
 * step's time and when its import step ended (ms after `since`).
 */
export async function awaitImportTask(api, id, logFile, since) {
  const task = await eventually(
    `the import task ${id}`,
    async () => {
      const res = await api(`/api/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(res.json?.status)
        ? res.json
        : undefined;
    },
    { timeoutMs: 3_600_000, intervalMs: 1000 },
  );
  const events = (await api(`/api/scaffolder/v2/tasks/${id}/events`)).json;
  const log = (events ?? []).map(e => e.body.message).join('\n');
  writeFileSync(logFile, log);
  const at = re =>
    Date.parse(
      (events ?? []).find(e => re.test(e.body.message ?? ''))?.createdAt,
    );
  return {
    log,
    status: task.status,
    // The publish step, start to finish: publish-local and registration of each one.
    publishMs:
      at(/^Finished step Publish each to a local/) -
      at(/^Beginning step Publish each to a local/),
    // When the import step ended (publishing follows).
    importedMs: at(/^Finished step Import the services/) - since,
  };
}

/** Forgets the emulator's ECS call counters (POST /_emulator/throttling/reset). */
export async function resetEcsCalls(endpoint) {
  await fetch(`${endpoint}/_emulator/throttling/reset`, { method: 'POST' });
}

/** ECS calls since the reset, all accounts: allowed and throttled, the five most frequent. */
export async function ecsCalls(endpoint) {
  const report = await (await fetch(`${endpoint}/_emulator/throttling`)).json();
  const byAction = new Map();
  for (const actions of Object.values(report.accounts ?? {})) {
    for (const [action, { allowed, throttled }] of Object.entries(actions)) {
      const [a, t] = byAction.get(action) ?? [0, 0];
      byAction.set(action, [a + allowed, t + throttled]);
    }
  }
  const sum = i => [...byAction.values()].reduce((s, c) => s + c[i], 0);
  const top = [...byAction]
    .sort((x, y) => y[1][0] + y[1][1] - (x[1][0] + x[1][1]))
    .slice(0, 5)
    .map(
      ([action, [a, t]]) => `${action} ${a}${t ? ` (+${t} throttled)` : ''}`,
    );
  return `${sum(0)} allowed, ${sum(1)} throttled; most: ${top.join(', ')}`;
}
