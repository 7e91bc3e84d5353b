// ListTasks filters (serviceName, desiredStatus, family, startedBy), DescribeTasks, StopTask.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTasksCommand, ListTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import {
  createCluster,
  createService,
  describeService,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });

const listTasks = async input => (await ctx.ecs.send(new ListTasksCommand(input))).taskArns.sort();

describe('tasks', () => {
  test('ListTasks honours serviceName, desiredStatus (default RUNNING), family and startedBy', async () => {
    const cluster = await createCluster(ctx.ecs);
    const familyA = unique('api');
    const a = await registerTaskDefinition(ctx.ecs, { family: familyA, image: 'ghcr.io/acme/a:1' });
    const b = await registerTaskDefinition(ctx.ecs, { family: unique('web'), image: 'ghcr.io/acme/b:1' });
    const { serviceName: svcA } = await createService(ctx.ecs, { cluster, taskDefinition: a, desiredCount: 2 });
    const { serviceName: svcB } = await createService(ctx.ecs, { cluster, taskDefinition: b, desiredCount: 1 });
    const doneA = await waitForRollout(ctx.ecs, cluster, svcA, 'COMPLETED');
    await waitForRollout(ctx.ecs, cluster, svcB, 'COMPLETED');

    const all = await listTasks({ cluster });
    const ofA = await listTasks({ cluster, serviceName: svcA });
    const ofB = await listTasks({ cluster, serviceName: svcB });
    assert.equal(all.length, 3);
    assert.equal(ofA.length, 2);
    assert.equal(ofB.length, 1);
    assert.deepEqual([...ofA, ...ofB].sort(), all);
    assert.deepEqual(await listTasks({ cluster, family: familyA }), ofA);
    assert.deepEqual(await listTasks({ cluster, startedBy: doneA.deployments[0].id }), ofA);
    assert.deepEqual(await listTasks({ cluster, serviceName: svcA, desiredStatus: 'STOPPED' }), []);

    const { tasks } = await ctx.ecs.send(new DescribeTasksCommand({ cluster, tasks: ofA }));
    assert.deepEqual(tasks.map(t => t.taskArn).sort(), ofA);
    assert.ok(tasks.every(t => t.group === `service:${svcA}` && t.clusterArn.endsWith(`:cluster/${cluster}`)));

    // A stopped task leaves the default (RUNNING) list and shows under STOPPED.
    await ctx.ecs.send(new StopTaskCommand({ cluster, task: ofA[0], reason: 'debugging' }));
    await waitFor('the stopped task under STOPPED', async () =>
      (await listTasks({ cluster, serviceName: svcA, desiredStatus: 'STOPPED' })).includes(ofA[0]),
    );
    assert.ok(!(await listTasks({ cluster, serviceName: svcA })).includes(ofA[0]));

    await assert.rejects(ctx.ecs.send(new ListTasksCommand({ cluster, serviceName: 'no-such-service' })), {
      name: 'ServiceNotFoundException',
    });
  });

  test('StopTask: the task stops as UserInitiated and the scheduler replaces it', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition });
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const [task] = await serviceTasks(ctx.ecs, cluster, name);

    const { task: stopping } = await ctx.ecs.send(new StopTaskCommand({ cluster, task: task.taskArn, reason: 'debugging' }));
    assert.equal(stopping.desiredStatus, 'STOPPED');
    const [stopped] = await waitFor('the task STOPPED', async () => {
      const tasks = await serviceTasks(ctx.ecs, cluster, name, 'STOPPED');
      return tasks.length === 1 && tasks[0].lastStatus === 'STOPPED' ? tasks : false;
    });
    assert.equal(stopped.taskArn, task.taskArn);
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.stoppedReason, 'debugging');

    const replaced = await waitFor('a replacement RUNNING', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      const running = await serviceTasks(ctx.ecs, cluster, name);
      return s.runningCount === 1 && running.length === 1 && running[0].lastStatus === 'RUNNING' ? running[0] : false;
    });
    assert.notEqual(replaced.taskArn, task.taskArn);
    assert.equal(replaced.startedBy, task.startedBy);
  });
});
