// ECS fidelity: the circuit-breaker threshold (0.5 × desired, at least 3, at most 200), rolling
// updates under minimumHealthyPercent/maximumPercent, and awslogs with a missing log group.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  createCluster,
  createService,
  describeService,
  latestServiceDeployment,
  messages,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });

/** A COMPLETED service of `desiredCount` tasks with this deployment configuration. */
async function runningService(desiredCount, deploymentConfiguration, image = 'ghcr.io/acme/api:1.0.0') {
  const cluster = await createCluster(ctx.ecs);
  const family = unique('api');
  const taskDefinition = await registerTaskDefinition(ctx.ecs, { family, image, awslogs: false });
  const { serviceName: name } = await createService(ctx.ecs, {
    cluster, taskDefinition, desiredCount, extra: { deploymentConfiguration },
  });
  await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED', { timeoutMs: 30_000 });
  return { cluster, name, family };
}

/** Deploys a broken image to the service; returns it once its deployment FAILED. */
async function deployBroken({ cluster, name, family }, timeoutMs = 20_000) {
  const broken = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:2.0.0-broken', awslogs: false });
  await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: broken }));
  return waitForRollout(ctx.ecs, cluster, name, 'FAILED', { timeoutMs });
}

describe('circuit breaker threshold', () => {
  test('desiredCount 10: threshold 5; with maximumPercent 120 the failures come 2 at a time and it trips at 6', async () => {
    const breaker = { enable: true, rollback: false };
    const svc = await runningService(10, {
      deploymentCircuitBreaker: breaker, maximumPercent: 120, minimumHealthyPercent: 100,
    });
    const { cluster, name } = svc;
    const failed = await deployBroken(svc);
    assert.equal(failed.deployments[0].failedTasks, 6, 'two failed batches of 2 (4) are below 5, the third (6) trips');
    assert.equal(failed.runningCount, 10, 'the old tasks kept serving');
    const record = await latestServiceDeployment(ctx.ecs, cluster, name);
    assert.deepEqual(record.deploymentCircuitBreaker, { status: 'TRIGGERED', failureCount: 6, threshold: 5 });
    assert.equal(record.status, 'STOPPED');
    assert.equal(record.statusReason, 'ECS deployment circuit breaker: tasks failed to start.');
  });

  test('desiredCount 401: threshold capped at 200; a batch of 200 failures trips it at once', async () => {
    const svc = await runningService(401, {
      deploymentCircuitBreaker: { enable: true, rollback: false }, maximumPercent: 150, minimumHealthyPercent: 100,
    });
    const { cluster, name } = svc;
    const failed = await deployBroken(svc, 30_000);
    // Uncapped, the threshold would be 201 and a second batch would run (400 failures).
    assert.equal(failed.deployments[0].failedTasks, 200);
    const record = await latestServiceDeployment(ctx.ecs, cluster, name);
    assert.equal(record.deploymentCircuitBreaker.threshold, 200);
    assert.equal(failed.runningCount, 401);
  });

  test('desiredCount 1: the minimum of 3 applies', async () => {
    const svc = await runningService(1, {
      deploymentCircuitBreaker: { enable: true, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100,
    });
    const { cluster, name } = svc;
    const failed = await deployBroken(svc);
    assert.equal(failed.deployments[0].failedTasks, 3);
    assert.equal((await latestServiceDeployment(ctx.ecs, cluster, name)).deploymentCircuitBreaker.threshold, 3);
  });
});

describe('minimumHealthyPercent and maximumPercent', () => {
  /**
   * A COMPLETED service of `desired` tasks at these percents, updated to v2. Polls it through the
   * rollout: every snapshot until COMPLETED, and the events the rollout added (oldest first).
   */
  async function rollOut(desired, maximumPercent, minimumHealthyPercent) {
    const { cluster, name, family } = await runningService(desired, { maximumPercent, minimumHealthyPercent });
    const before = (await describeService(ctx.ecs, cluster, name)).events.length;
    const v2 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:2.0.0', awslogs: false });
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: v2 }));
    const snapshots = [];
    await waitFor('rollout COMPLETED', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      snapshots.push(s);
      return s.deployments.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' ? s : false;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    const done = snapshots.at(-1);
    const added = messages(done).slice(0, done.events.length - before).reverse();
    const started = added.map(m => /has started (\d+) tasks/.exec(m)?.[1]).filter(Boolean).map(Number);
    return { snapshots, done, added, started };
  }

  test('100 % / 50 % of 4: two old tasks stop first, new ones start two at a time, never more than 4', async () => {
    const { snapshots, done, added, started } = await rollOut(4, 100, 50);
    for (const s of snapshots) {
      assert.ok(s.runningCount + s.pendingCount <= 4, `at most 4 tasks: ${s.runningCount} running, ${s.pendingCount} pending`);
      assert.ok(s.runningCount >= 2, `at least 2 running: ${s.runningCount}`);
    }
    assert.deepEqual(started, [2, 2]);
    assert.equal(added.filter(m => /has stopped 2 running tasks/.test(m)).length, 2);
    assert.equal(done.runningCount, 4);
  });

  test('150 % / 100 % of 4: all 4 old tasks stay until the new ones run; new ones start 2 at a time', async () => {
    const { snapshots, started } = await rollOut(4, 150, 100);
    for (const s of snapshots) {
      assert.ok(s.runningCount + s.pendingCount <= 6, `at most 6 tasks: ${s.runningCount} + ${s.pendingCount}`);
      assert.ok(s.runningCount >= 4, `at least 4 running: ${s.runningCount}`);
    }
    assert.deepEqual(started, [2, 2]);
  });

  test('200 % / 100 % (the default): all new tasks at once, old ones stop when the new run', async () => {
    const { snapshots, started } = await rollOut(3, 200, 100);
    assert.ok(snapshots.every(s => s.runningCount >= 3));
    assert.deepEqual(started, [3]);
  });
});

describe('awslogs', () => {
  const INIT_ERROR = /^ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist/;

  test('a missing log group without awslogs-create-group fails the task as ECS does; once created, tasks run', async () => {
    const cluster = await createCluster(ctx.ecs);
    const family = unique('api');
    const logGroup = `/ecs/test/${unique('missing')}`;
    const td = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:1.0.0', logGroup, createGroup: false });
    const { serviceName: name } = await createService(ctx.ecs, {
      cluster, taskDefinition: td, circuitBreaker: { enable: true, rollback: false },
    });
    const failed = await waitForRollout(ctx.ecs, cluster, name, 'FAILED', { timeoutMs: 20_000 });
    assert.equal(failed.deployments[0].failedTasks, 3);
    const stopped = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
    assert.ok(stopped.length >= 3);
    for (const task of stopped) {
      assert.equal(task.stopCode, 'TaskFailedToStart');
      assert.match(task.stoppedReason, INIT_ERROR);
      assert.equal(task.startedAt, undefined);
    }

    await ctx.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, forceNewDeployment: true }));
    const done = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    assert.equal(done.runningCount, 1);
  });
});
