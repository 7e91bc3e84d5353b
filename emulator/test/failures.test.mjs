// Failures on demand: `broken` images never start, `unhealthy` ones fail health checks;
// the circuit breaker fails the deployment and, with rollback, redeploys the last COMPLETED one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  createCluster,
  createService,
  describeService,
  messages,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });
const FAILED_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/** A COMPLETED service on a good image, and a second task definition with `badImage`. */
async function deployedService(badImage, circuitBreaker, badOptions = {}) {
  const cluster = await createCluster(ctx.ecs);
  const family = unique('api');
  const good = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:1.0.0' });
  const bad = await registerTaskDefinition(ctx.ecs, { family, image: badImage, ...badOptions });
  const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition: good, circuitBreaker });
  const { deployments: [completed] } = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
  const [goodTask] = await serviceTasks(ctx.ecs, cluster, name);
  return { cluster, name, good, bad, completed, goodTask };
}

describe('failures', () => {
  test('broken image, rollback on: FAILED by the circuit breaker, then rolled back to the last COMPLETED deployment', async () => {
    const { cluster, name, good, bad, completed, goodTask } = await deployedService(
      'ghcr.io/acme/api:2.0.0-broken',
      { enable: true, rollback: true },
    );
    const { service } = await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: bad }));
    const failedId = service.deployments[0].id;

    const rolling = await waitFor('a rollback deployment', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.deployments[0].id !== failedId ? s : false;
    });
    const [rollback, ...others] = rolling.deployments;
    assert.equal(rollback.taskDefinition, good);
    assert.equal(rollback.rolloutState, 'IN_PROGRESS');
    assert.equal(rollback.rolloutStateReason, `ECS deployment circuit breaker: rolling back to deploymentId ${completed.id}.`);
    assert.equal(rolling.taskDefinition, good);
    const failed = others.find(d => d.id === failedId);
    assert.deepEqual([failed.status, failed.rolloutState, failed.rolloutStateReason], ['ACTIVE', 'FAILED', FAILED_REASON]);
    assert.ok(failed.failedTasks >= 3, `failedTasks ${failed.failedTasks}`);
    assert.equal(failed.runningCount, 0);
    assert.equal(rolling.runningCount, 1, 'the old task kept serving');
    const log = messages(rolling);
    const rollingBack = log.indexOf(`(service ${name}) rolling back to deployment ${completed.id}.`);
    assert.ok(rollingBack >= 0, log.join('\n'));
    assert.equal(log[rollingBack + 1], `(service ${name}) (deployment ${failedId}) deployment failed: tasks failed to start.`);

    const stopped = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
    const failedTasks = stopped.filter(t => t.startedBy === failedId);
    assert.ok(failedTasks.length >= 3);
    for (const task of failedTasks) {
      assert.equal(task.lastStatus, 'STOPPED');
      assert.equal(task.stopCode, 'TaskFailedToStart');
      assert.match(task.stoppedReason, /^CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref ghcr\.io\/acme\/api:2\.0\.0-broken: .* not found$/);
      assert.equal(task.containers[0].reason, task.stoppedReason);
      assert.equal(task.containers[0].imageDigest, undefined);
      assert.equal(task.startedAt, undefined);
    }

    const done = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    assert.equal(done.deployments.length, 1);
    assert.equal(done.deployments[0].id, rollback.id);
    assert.equal(done.taskDefinition, good);
    const [running] = await serviceTasks(ctx.ecs, cluster, name);
    assert.equal(running.taskDefinitionArn, good);
    assert.notEqual(running.taskArn, goodTask.taskArn);
    assert.ok(messages(done).includes(`(service ${name}) (deployment ${failedId}) deployment failed: tasks failed to start.`));
  });

  test('broken image, rollback off: the FAILED deployment stays PRIMARY, the old tasks keep running', async () => {
    const { cluster, name, bad, completed, goodTask } = await deployedService(
      'ghcr.io/acme/broken-api:2.0.0',
      { enable: true, rollback: false },
    );
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: bad }));
    const failed = await waitForRollout(ctx.ecs, cluster, name, 'FAILED');
    assert.equal(failed.taskDefinition, bad);
    assert.deepEqual(
      failed.deployments.map(d => [d.status, d.rolloutState, d.runningCount]),
      [['PRIMARY', 'FAILED', 0], ['ACTIVE', 'COMPLETED', 1]],
    );
    assert.equal(failed.deployments[0].rolloutStateReason, FAILED_REASON);
    assert.equal(failed.deployments[1].id, completed.id);

    // A FAILED deployment launches nothing more and nothing else changes.
    const stoppedBefore = (await serviceTasks(ctx.ecs, cluster, name, 'STOPPED')).length;
    await new Promise(r => setTimeout(r, 1500));
    const later = await describeService(ctx.ecs, cluster, name);
    assert.deepEqual(later.deployments.map(d => [d.id, d.rolloutState]), failed.deployments.map(d => [d.id, d.rolloutState]));
    assert.equal(later.runningCount, 1);
    assert.equal((await serviceTasks(ctx.ecs, cluster, name, 'STOPPED')).length, stoppedBefore);
    const [running] = await serviceTasks(ctx.ecs, cluster, name);
    assert.equal(running.taskArn, goodTask.taskArn);
  });

  test('broken image on the first deployment: FAILED, nothing to roll back to', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'nginx:broken' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition, circuitBreaker: { enable: true, rollback: true } });
    const failed = await waitForRollout(ctx.ecs, cluster, name, 'FAILED');
    assert.equal(failed.deployments.length, 1);
    assert.equal(failed.runningCount, 0);
    const [task] = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
    assert.match(task.stoppedReason, /failed to resolve ref docker\.io\/library\/nginx:broken/);
    assert.ok(!messages(failed).some(m => m.includes('rolling back')));
  });

  test('circuit breaker off: ECS keeps retrying; the stopped tasks kept are bounded', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:broken' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition, desiredCount: 6 });
    const retrying = await waitFor('30 failed tasks', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.deployments[0].failedTasks >= 30 ? s : false;
    });
    assert.equal(retrying.deployments[0].rolloutState, 'IN_PROGRESS');
    const impaired = messages(retrying).filter(m => m.includes('is unable to consistently start tasks successfully'));
    assert.equal(impaired.length, 1);
    const stopped = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
    assert.ok(stopped.length >= 18 && stopped.length <= 20, `${stopped.length} stopped tasks kept`);
  });

  test('unhealthy image: tasks run, fail their health checks, and the deployment rolls back', async () => {
    const { cluster, name, good, bad } = await deployedService(
      'ghcr.io/acme/api:2.0.0-unhealthy',
      { enable: true, rollback: true },
      { healthCheck: true },
    );
    const { service } = await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: bad }));
    const failedId = service.deployments[0].id;

    const running = await waitFor('an unhealthy task running', async () => {
      const tasks = await serviceTasks(ctx.ecs, cluster, name);
      return tasks.find(t => t.startedBy === failedId && t.lastStatus === 'RUNNING');
    });
    assert.equal(running.healthStatus, 'UNKNOWN');

    const done = await waitFor('rollback completed', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.deployments[0].id !== failedId && s.deployments[0].rolloutState === 'COMPLETED' ? s : false;
    }, { timeoutMs: 20_000 });
    assert.equal(done.taskDefinition, good);
    const stopped = (await serviceTasks(ctx.ecs, cluster, name, 'STOPPED')).filter(t => t.startedBy === failedId);
    assert.ok(stopped.length >= 3);
    for (const task of stopped) {
      assert.equal(task.stoppedReason, 'Task failed container health checks');
      assert.equal(task.healthStatus, 'UNHEALTHY');
      assert.ok(task.startedAt instanceof Date);
      assert.ok(messages(done).includes(`(service ${name}) (task ${task.taskArn.split('/').pop()}) failed container health checks.`));
    }
  });
});
