// The seed hook (POST /_emulator/seed): services created in-process, in one request, are services
// like CreateService's (first deployment, tasks, rollout to COMPLETED, tags, task definition), and a
// request it cannot carry out is a 400 naming the bad value that creates nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { TEST_ACCOUNT, bulkSeed } from '@internal/dev-kit';
import { REGION, serviceTasks, useEmulator, waitForRollout } from './helpers.mjs';

const ctx = useEmulator();

const item = (name, extra = {}) => ({
  taskDefinition: {
    family: `${name}-td`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: `ghcr.io/acme/${name}:1.0.0`, essential: true }],
  },
  service: {
    serviceName: name,
    desiredCount: 2,
    launchType: 'FARGATE',
    tags: [{ key: 'backstage:entity-ref', value: `component:default/${name}` }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    ...extra,
  },
});

describe('POST /_emulator/seed', () => {
  test('creates the cluster and its services, which roll out like CreateService\'s', async () => {
    const target = { account: TEST_ACCOUNT, region: REGION, cluster: 'seeded' };
    await bulkSeed(ctx.emulator.endpoint, target, ['alpha', 'beta', 'gamma'].map(n => item(n)), 2);
    const { serviceArns } = await ctx.ecs.send(new ListServicesCommand({ cluster: 'seeded' }));
    assert.equal(serviceArns.length, 3);
    const service = await waitForRollout(ctx.ecs, 'seeded', 'beta', 'COMPLETED');
    assert.equal(service.deployments.length, 1);
    assert.equal(service.runningCount, 2);
    assert.match(service.taskDefinition, /:task-definition\/beta-td:1$/);
    const { services: [tagged] } = await ctx.ecs.send(
      new DescribeServicesCommand({ cluster: 'seeded', services: ['beta'], include: ['TAGS'] }),
    );
    assert.deepEqual(tagged.tags, [{ key: 'backstage:entity-ref', value: 'component:default/beta' }]);
    assert.equal(service.launchType, 'FARGATE');
    assert.deepEqual(service.deploymentConfiguration.deploymentCircuitBreaker, { enable: true, rollback: true });
    const tasks = await serviceTasks(ctx.ecs, 'seeded', 'beta');
    assert.deepEqual(tasks.map(t => t.lastStatus), ['RUNNING', 'RUNNING']);
  });

  test('a parameter it does not take is a 400 naming it, and nothing is created', async () => {
    const res = await fetch(`${ctx.emulator.endpoint}/_emulator/seed`, {
      method: 'POST',
      body: JSON.stringify({
        account: TEST_ACCOUNT,
        region: REGION,
        cluster: 'refused',
        services: [item('ok'), item('bad', { loadBalancers: [] })],
      }),
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /services\[1\]\.service has parameters the seed hook does not take: loadBalancers/);
    const { clusterArns } = await ctx.ecs.send(new ListClustersCommand({}));
    assert.ok(!clusterArns.some(arn => arn.endsWith('/refused')), 'not even the cluster of the valid first item');
  });

  test('GET is a 405', async () => {
    assert.equal((await fetch(`${ctx.emulator.endpoint}/_emulator/seed`)).status, 405);
  });
});
