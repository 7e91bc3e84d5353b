// Service fields moto drops, task tags, DeleteService and /moto-api/reset.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
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

describe('service API', () => {
  test('CreateService keeps deploymentConfiguration, enableECSManagedTags and propagateTags; UpdateService merges', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const deploymentConfiguration = {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 150,
      minimumHealthyPercent: 50,
    };
    const created = await createService(ctx.ecs, {
      cluster,
      taskDefinition,
      extra: { deploymentConfiguration, enableECSManagedTags: true, propagateTags: 'SERVICE', healthCheckGracePeriodSeconds: 30 },
    });
    const described = await describeService(ctx.ecs, cluster, created.serviceName);
    for (const service of [created, described]) {
      assert.deepEqual(service.deploymentConfiguration, deploymentConfiguration);
      assert.equal(service.enableECSManagedTags, true);
      assert.equal(service.propagateTags, 'SERVICE');
      assert.equal(service.healthCheckGracePeriodSeconds, 30);
    }

    await ctx.ecs.send(new UpdateServiceCommand({
      cluster,
      service: created.serviceName,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    }));
    const updated = await describeService(ctx.ecs, cluster, created.serviceName);
    assert.deepEqual(updated.deploymentConfiguration, { ...deploymentConfiguration, deploymentCircuitBreaker: { enable: true, rollback: false } });
  });

  test('defaults as ECS returns them when the fields are not given', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition });
    const service = await describeService(ctx.ecs, cluster, serviceName);
    assert.deepEqual(service.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    assert.equal(service.enableECSManagedTags, false);
    assert.equal(service.propagateTags, 'NONE');
  });

  test('tasks carry the propagated service tags and ECS managed tags', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName } = await createService(ctx.ecs, {
      cluster,
      taskDefinition,
      extra: { enableECSManagedTags: true, propagateTags: 'SERVICE', tags: [{ key: 'team', value: 'payments' }] },
    });
    const [task] = await waitFor('a task', () => serviceTasks(ctx.ecs, cluster, serviceName).then(t => t.length && t));
    const { tasks } = await ctx.ecs.send(new DescribeTasksCommand({ cluster, tasks: [task.taskArn], include: ['TAGS'] }));
    assert.deepEqual(tasks[0].tags, [
      { key: 'team', value: 'payments' },
      { key: 'aws:ecs:clusterName', value: cluster },
      { key: 'aws:ecs:serviceName', value: serviceName },
    ]);
  });

  test('DeleteService stops the service tasks; cluster counts follow', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition, desiredCount: 2 });
    await waitForRollout(ctx.ecs, cluster, serviceName, 'COMPLETED');
    const counts = async () => {
      const { clusters: [c] } = await ctx.ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
      return [c.runningTasksCount, c.pendingTasksCount, c.activeServicesCount];
    };
    assert.deepEqual(await counts(), [2, 0, 1]);
    await ctx.ecs.send(new DeleteServiceCommand({ cluster, service: serviceName, force: true }));
    const stopped = await waitFor('2 STOPPED tasks', async () => {
      const tasks = await serviceTasks(ctx.ecs, cluster, serviceName, 'STOPPED');
      return tasks.length === 2 && tasks.every(t => t.lastStatus === 'STOPPED') ? tasks : false;
    });
    assert.equal(stopped.length, 2);
    assert.deepEqual(await serviceTasks(ctx.ecs, cluster, serviceName), []);
    const { services } = await ctx.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    assert.equal(services[0].status, 'INACTIVE');
    assert.equal(services[0].runningCount, 0);
    assert.deepEqual(await counts(), [0, 0, 0]);
  });

  test('POST /moto-api/reset forgets services, tasks and log groups; the scheduler goes on afterwards', async () => {
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition });
    await waitForRollout(ctx.ecs, cluster, serviceName, 'COMPLETED');

    await ctx.emulator.reset();
    assert.deepEqual((await ctx.ecs.send(new ListClustersCommand({}))).clusterArns, []);
    assert.deepEqual((await ctx.logs.send(new DescribeLogGroupsCommand({}))).logGroups, []);

    const again = await createCluster(ctx.ecs, cluster);
    const td = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    await createService(ctx.ecs, { cluster: again, name: serviceName, taskDefinition: td });
    const done = await waitForRollout(ctx.ecs, again, serviceName, 'COMPLETED');
    assert.equal(done.runningCount, 1);
    assert.equal(done.events.filter(e => e.message.includes('has started')).length, 1, 'no events from before the reset');
  });
});
