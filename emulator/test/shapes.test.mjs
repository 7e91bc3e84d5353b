// The emulator's answers have the shape of ECS's own (field names and JSON types), checked against
// the responses recorded from AWS's documentation and public examples in
// packages/dev-kit/recorded/ecs (sources in its README): a completed rollout, one the circuit
// breaker failed, one it rolled back, and stopped tasks with their stop codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { repoRoot } from '@internal/dev-kit';
import {
  REGION,
  createCluster,
  createService,
  describeService,
  registerTaskDefinition,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });

const recorded = file =>
  JSON.parse(
    readFileSync(
      path.join(repoRoot(), 'packages/dev-kit/recorded/ecs', file),
      'utf8',
    ),
  );

/** The raw JSON body of an ECS call to the emulator (what the SDK would deserialize). */
async function raw(action, body) {
  const res = await fetch(ctx.emulator.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerServiceV20141113.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/ecs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

const typeOf = value =>
  Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;

/**
 * Every field of `expected` that the backend reads (`fields`, dotted; `[]` for each item) is in
 * `actual` with the same JSON type; returns what differs.
 */
function shapeDifferences(expected, actual, fields) {
  const differences = [];
  for (const field of fields) {
    const walk = (e, a, parts, at) => {
      if (parts.length === 0) {
        if (typeOf(e) !== typeOf(a))
          differences.push(`${at}: ${typeOf(a)}, ECS sends ${typeOf(e)}`);
        return;
      }
      const [part, ...rest] = parts;
      if (part.endsWith('[]')) {
        const key = part.slice(0, -2);
        const es = e?.[key];
        const as = a?.[key];
        if (!Array.isArray(as) || as.length === 0) {
          differences.push(
            `${at}${key}: ${typeOf(as)} ${
              Array.isArray(as) ? '(empty)' : ''
            }, ECS sends a list`,
          );
          return;
        }
        for (const item of as) walk(es[0], item, rest, `${at}${key}[].`);
        return;
      }
      walk(e?.[part], a?.[part], rest, `${at}${part}.`);
    };
    walk(expected, actual, field.split('.'), '');
  }
  return differences;
}

/** What the backend reads of DescribeServices (summarize.ts, health.ts, decideRollout.ts). */
const SERVICE_FIELDS = [
  'serviceName',
  'serviceArn',
  'status',
  'taskDefinition',
  'desiredCount',
  'runningCount',
  'pendingCount',
  'deployments[].id',
  'deployments[].status',
  'deployments[].taskDefinition',
  'deployments[].desiredCount',
  'deployments[].runningCount',
  'deployments[].pendingCount',
  'deployments[].failedTasks',
  'deployments[].rolloutState',
  'deployments[].rolloutStateReason',
  'deployments[].createdAt',
  'deployments[].updatedAt',
  'events[].id',
  'events[].createdAt',
  'events[].message',
];

/** A service of `desiredCount` tasks on `image`, rolled out; then updated to `next` (if any). */
async function rollout(image, next, circuitBreaker) {
  const cluster = await createCluster(ctx.ecs);
  const family = unique('shape');
  const good = await registerTaskDefinition(ctx.ecs, { family, image });
  const name = unique('svc');
  await createService(ctx.ecs, {
    cluster,
    name,
    taskDefinition: good,
    desiredCount: 2,
    circuitBreaker,
  });
  await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
  if (next) {
    const bad = await registerTaskDefinition(ctx.ecs, { family, image: next });
    await ctx.ecs.send(
      new UpdateServiceCommand({ cluster, service: name, taskDefinition: bad }),
    );
  }
  return { cluster, name };
}

const describeRaw = async (cluster, name) =>
  (await raw('DescribeServices', { cluster, services: [name] })).services[0];

describe('the emulator answers in the shape of the recorded ECS responses', () => {
  test('a completed rollout', async () => {
    const { cluster, name } = await rollout('ghcr.io/acme/api:1.0.0');
    const service = await describeRaw(cluster, name);
    const [expected] = recorded('describe-services-completed.json').services;
    assert.deepEqual(shapeDifferences(expected, service, SERVICE_FIELDS), []);
    // The check sees a wrong type, a missing field and an empty list.
    const { events: _, ...noEvents } = service;
    assert.deepEqual(
      shapeDifferences(
        expected,
        {
          ...noEvents,
          desiredCount: '2',
          deployments: [{ ...service.deployments[0], createdAt: 'x' }],
        },
        SERVICE_FIELDS,
      ),
      [
        'desiredCount.: string, ECS sends number',
        'deployments[].createdAt.: string, ECS sends number',
        'events: undefined , ECS sends a list',
        'events: undefined , ECS sends a list',
        'events: undefined , ECS sends a list',
      ],
    );
    assert.equal(
      service.deployments[0].rolloutState,
      expected.deployments[0].rolloutState,
    );
    assert.match(
      service.deployments[0].rolloutStateReason,
      /^ECS deployment ecs-svc\/\d+ completed\.$/,
    );
    assert.ok(
      service.events.some(
        e => e.message === `(service ${name}) has reached a steady state.`,
      ),
    );
  });

  test('a rollout the circuit breaker failed (rollback off)', async () => {
    const { cluster, name } = await rollout(
      'ghcr.io/acme/api:1.0.0',
      'ghcr.io/acme/api:2.0.0-broken',
      {
        enable: true,
        rollback: false,
      },
    );
    await waitForRollout(ctx.ecs, cluster, name, 'FAILED', {
      timeoutMs: 30_000,
    });
    const service = await describeRaw(cluster, name);
    const [expected] = recorded('describe-services-failed.json').services;
    assert.deepEqual(shapeDifferences(expected, service, SERVICE_FIELDS), []);
    assert.deepEqual(
      service.deployments.map(d => [
        d.status,
        d.rolloutState,
        d.rolloutStateReason.replace(/ecs-svc\/\d+/, 'ecs-svc/N'),
      ]),
      expected.deployments.map(d => [
        d.status,
        d.rolloutState,
        d.rolloutStateReason.replace(/ecs-svc\/\d+/, 'ecs-svc/N'),
      ]),
    );
    const failed = service.events.find(e =>
      /deployment failed/.test(e.message),
    );
    assert.equal(
      failed.message.replace(name, 'api').replace(/ecs-svc\/\d+/, 'ecs-svc/N'),
      expected.events[0].message.replace(/ecs-svc\/\d+/, 'ecs-svc/N'),
    );
  });

  test('a rollout the circuit breaker rolled back, and the stopped tasks of the failed one', async () => {
    const { cluster, name } = await rollout(
      'ghcr.io/acme/api:1.0.0',
      'ghcr.io/acme/api:2.0.0-broken',
      {
        enable: true,
        rollback: true,
      },
    );
    const service = await waitFor(
      'the rollback deployment',
      async () => {
        const s = await describeRaw(cluster, name);
        return s.deployments.length === 2 &&
          s.deployments[1].rolloutState === 'FAILED'
          ? s
          : false;
      },
      { timeoutMs: 30_000 },
    );
    const [expected] = recorded(
      'describe-services-circuit-breaker-rolled-back.json',
    ).services;
    assert.deepEqual(shapeDifferences(expected, service, SERVICE_FIELDS), []);
    assert.deepEqual(
      service.deployments.map(d => [d.status, d.rolloutState]),
      expected.deployments.map(d => [d.status, d.rolloutState]),
    );
    assert.match(
      service.deployments[0].rolloutStateReason,
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d+/,
    );
    assert.ok(
      service.events.some(e =>
        /^\(service [\w-]+\) rolling back to deployment ecs-svc\/\d+\.$/.test(
          e.message,
        ),
      ),
    );

    const { taskArns } = await raw('ListTasks', {
      cluster,
      serviceName: name,
      desiredStatus: 'STOPPED',
    });
    const { tasks } = await raw('DescribeTasks', { cluster, tasks: taskArns });
    const stopped = tasks.filter(t => t.stopCode === 'TaskFailedToStart');
    assert.ok(stopped.length > 0);
    const expectedTask = recorded('describe-tasks-stopped.json').tasks[1];
    for (const task of stopped) {
      assert.deepEqual(
        shapeDifferences(expectedTask, task, [
          'taskArn',
          'taskDefinitionArn',
          'lastStatus',
          'desiredStatus',
          'stopCode',
          'stoppedReason',
          'startedBy',
          'createdAt',
          'stoppedAt',
          'containers[].name',
          'containers[].lastStatus',
          'containers[].reason',
        ]),
        [],
      );
      assert.match(
        task.stoppedReason,
        /^CannotPullContainerError: pull image manifest has been retried 5 time\(s\)/,
      );
    }
  });
});
