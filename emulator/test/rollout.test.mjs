// Rollouts: create, update to a new task definition, force new deployment, scaling.
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
  sha256,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });

describe('rollouts', () => {
  test('create: IN_PROGRESS through PENDING tasks, then COMPLETED with RUNNING tasks', async () => {
    const cluster = await createCluster(ctx.ecs);
    const image = 'ghcr.io/acme/api:1.0.0';
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image });
    const created = await createService(ctx.ecs, { cluster, taskDefinition, desiredCount: 2 });
    const [deployment] = created.deployments;
    assert.equal(created.deployments.length, 1);
    assert.match(deployment.id, /^ecs-svc\/\d{19}$/);
    assert.equal(deployment.status, 'PRIMARY');
    assert.equal(deployment.rolloutState, 'IN_PROGRESS');
    assert.equal(deployment.rolloutStateReason, `ECS deployment ${deployment.id} in progress.`);

    const seen = await waitFor('2 pending tasks', async () => {
      const s = await describeService(ctx.ecs, cluster, created.serviceName);
      return s.pendingCount === 2 && s.runningCount === 0 && s.deployments[0].pendingCount === 2 ? s : false;
    });
    assert.equal(seen.deployments[0].rolloutState, 'IN_PROGRESS');

    const done = await waitForRollout(ctx.ecs, cluster, created.serviceName, 'COMPLETED');
    assert.equal(done.deployments.length, 1);
    assert.equal(done.deployments[0].id, deployment.id);
    assert.equal(done.deployments[0].rolloutStateReason, `ECS deployment ${deployment.id} completed.`);
    assert.deepEqual([done.runningCount, done.pendingCount, done.desiredCount], [2, 0, 2]);
    assert.deepEqual([done.deployments[0].runningCount, done.deployments[0].pendingCount], [2, 0]);

    const tasks = await serviceTasks(ctx.ecs, cluster, created.serviceName);
    assert.equal(tasks.length, 2);
    for (const task of tasks) {
      assert.equal(task.lastStatus, 'RUNNING');
      assert.equal(task.desiredStatus, 'RUNNING');
      assert.equal(task.startedBy, deployment.id);
      assert.equal(task.group, `service:${created.serviceName}`);
      assert.equal(task.taskDefinitionArn, taskDefinition);
      assert.equal(task.launchType, 'FARGATE');
      assert.ok(task.startedAt instanceof Date && task.startedAt >= task.createdAt);
      assert.deepEqual(
        task.containers.map(c => [c.name, c.image, c.lastStatus, c.imageDigest]),
        [['api', image, 'RUNNING', sha256(image)]],
      );
    }

    const ids = tasks.map(t => t.taskArn.split('/').pop());
    const log = messages(done);
    const name = created.serviceName;
    assert.equal(log[0], `(service ${name}) has reached a steady state.`);
    assert.equal(log[1], `(service ${name}) (deployment ${deployment.id}) deployment completed.`);
    assert.match(log[2], new RegExp(`^\\(service ${name}\\) has started 2 tasks: \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\.$`));
    for (const id of ids) assert.ok(log[2].includes(`(task ${id})`));
    assert.equal(new Set(done.events.map(e => e.id)).size, done.events.length);
    assert.ok(done.events.every(e => e.createdAt instanceof Date));
  });

  test('update to a new task definition: new PRIMARY, old one drains, old tasks STOPPED', async () => {
    const cluster = await createCluster(ctx.ecs);
    const family = unique('api');
    const v1 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:1.0.0' });
    const v2 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:2.0.0' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition: v1 });
    const first = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const [oldTask] = await serviceTasks(ctx.ecs, cluster, name);

    const { service: updated } = await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: v2 }));
    assert.equal(updated.taskDefinition, v2);
    assert.deepEqual(updated.deployments.map(d => [d.status, d.rolloutState, d.taskDefinition]), [
      ['PRIMARY', 'IN_PROGRESS', v2],
      ['ACTIVE', 'COMPLETED', v1],
    ]);
    const newId = updated.deployments[0].id;
    assert.equal(updated.deployments[1].id, first.deployments[0].id);
    assert.equal(updated.deployments[0].rolloutStateReason, `ECS deployment ${newId} in progress.`);

    const done = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED', { timeoutMs: 10_000 });
    assert.equal(done.deployments[0].id, newId);
    assert.deepEqual(done.deployments.map(d => d.status), ['PRIMARY']);
    assert.equal(done.runningCount, 1);

    const [stopped] = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
    assert.equal(stopped.taskArn, oldTask.taskArn);
    assert.equal(stopped.lastStatus, 'STOPPED');
    assert.equal(stopped.stopCode, 'ServiceSchedulerInitiated');
    assert.equal(stopped.stoppedReason, `Scaling activity initiated by (deployment ${newId})`);
    assert.ok(stopped.stoppedAt instanceof Date);
    const [running] = await serviceTasks(ctx.ecs, cluster, name);
    assert.equal(running.taskDefinitionArn, v2);
    assert.equal(running.startedBy, newId);

    const oldId = oldTask.taskArn.split('/').pop();
    const newTaskId = running.taskArn.split('/').pop();
    assert.deepEqual(messages(done).slice(0, 4), [
      `(service ${name}) has reached a steady state.`,
      `(service ${name}) (deployment ${newId}) deployment completed.`,
      `(service ${name}) has stopped 1 running tasks: (task ${oldId}).`,
      `(service ${name}) has started 1 tasks: (task ${newTaskId}).`,
    ]);
  });

  test('force new deployment: same task definition, new deployment and new tasks', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition });
    const before = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const [oldTask] = await serviceTasks(ctx.ecs, cluster, name);

    const { service } = await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, forceNewDeployment: true }));
    assert.equal(service.deployments.length, 2);
    const newId = service.deployments[0].id;
    assert.notEqual(newId, before.deployments[0].id);
    assert.equal(service.deployments[0].taskDefinition, taskDefinition);

    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const [task] = await serviceTasks(ctx.ecs, cluster, name);
    assert.notEqual(task.taskArn, oldTask.taskArn);
    assert.equal(task.startedBy, newId);
  });

  test('desiredCount alone scales the current deployment up and down', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition });
    const { deployments: [deployment] } = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');

    const { service: up } = await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 3 }));
    assert.deepEqual(up.deployments.map(d => [d.id, d.desiredCount, d.rolloutState]), [[deployment.id, 3, 'COMPLETED']]);
    const scaledUp = await waitFor('3 running', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.runningCount === 3 && messages(s)[0].endsWith('has reached a steady state.') ? s : false;
    });
    assert.equal(scaledUp.deployments.length, 1);
    assert.match(messages(scaledUp)[1], new RegExp(`^\\(service ${name}\\) has started 2 tasks: `));

    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 1 }));
    const scaledDown = await waitFor('1 running, 2 stopped', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      const stopped = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
      return s.runningCount === 1 && stopped.length === 2 && stopped.every(t => t.lastStatus === 'STOPPED') ? { s, stopped } : false;
    });
    assert.ok(scaledDown.stopped.every(t => t.stoppedReason === `Scaling activity initiated by (deployment ${deployment.id})`));
    assert.ok(messages(scaledDown.s).some(m => m.startsWith(`(service ${name}) has stopped 2 running tasks: `)));

    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 0 }));
    const none = await waitFor('no running tasks', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.runningCount === 0 && s.pendingCount === 0 ? s : false;
    });
    assert.deepEqual(none.deployments.map(d => [d.id, d.desiredCount, d.rolloutState]), [[deployment.id, 0, 'COMPLETED']]);
    assert.deepEqual(await serviceTasks(ctx.ecs, cluster, name), []);
  });

  test('desiredCount 0 from the start: no tasks, deployment COMPLETED', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition, desiredCount: 0 });
    const done = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    assert.deepEqual([done.runningCount, done.pendingCount], [0, 0]);
    assert.deepEqual(await serviceTasks(ctx.ecs, cluster, name), []);
    assert.ok(!messages(done).some(m => m.includes('has started')));
  });
});
