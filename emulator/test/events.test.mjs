// ECS events on the default EventBridge bus, delivered by rules to SQS: task state changes,
// deployment state changes and service actions, in the shapes AWS documents; per account.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  REGION,
  createCluster,
  createService,
  registerTaskDefinition,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';
import { client } from './network.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });
const ACCOUNT = '123456789012';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;

/** A queue and an enabled rule matching `pattern` on the default bus (of the credentials' account) that delivers to it. */
async function queueFor(pattern, credentials) {
  const sqs = client(ctx, SQSClient, credentials);
  const events = client(ctx, EventBridgeClient, credentials);
  const name = unique('ecs-events');
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), State: 'ENABLED' }));
  await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'queue', Arn: Attributes.QueueArn }] }));
  const received = [];
  return {
    rule: name,
    events,
    /** Drains the queue; returns every event received so far. */
    async drain() {
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!Messages.length) return received;
        received.push(...Messages.map(m => JSON.parse(m.Body)));
      }
    },
  };
}

const ALL_ECS = { source: ['aws.ecs'], 'detail-type': ['ECS Task State Change', 'ECS Deployment State Change', 'ECS Service Action'] };

describe('ECS events', () => {
  test('a rollout: task state changes with the whole task, IN_PROGRESS then COMPLETED, steady state', async () => {
    const queue = await queueFor(ALL_ECS);
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName, serviceArn, deployments: [deployment] } = await createService(ctx.ecs, { cluster, taskDefinition });
    await waitForRollout(ctx.ecs, cluster, serviceName, 'COMPLETED');
    const received = await waitFor('a steady-state event', async () => {
      const all = await queue.drain();
      return all.some(e => e.detail.eventName === 'SERVICE_STEADY_STATE') ? all : false;
    });
    for (const event of received) {
      assert.equal(event.source, 'aws.ecs');
      assert.equal(event.account, ACCOUNT);
      assert.equal(event.region, REGION);
      assert.equal(event.version, '0');
      assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const byType = type => received.filter(e => e['detail-type'] === type);

    const tasks = byType('ECS Task State Change');
    assert.deepEqual(tasks.map(e => e.detail.lastStatus), ['PROVISIONING', 'PENDING', 'RUNNING']);
    const running = tasks.at(-1);
    assert.deepEqual(running.resources, [running.detail.taskArn]);
    assert.equal(running.detail.clusterArn.split('/').pop(), cluster);
    assert.equal(running.detail.group, `service:${serviceName}`);
    assert.equal(running.detail.startedBy, deployment.id);
    assert.equal(running.detail.taskDefinitionArn, taskDefinition);
    assert.equal(running.detail.desiredStatus, 'RUNNING');
    assert.equal(running.detail.launchType, 'FARGATE');
    assert.deepEqual(tasks.map(e => e.detail.version), [1, 2, 3].map(v => v + tasks[0].detail.version - 1));
    for (const field of ['createdAt', 'startedAt', 'updatedAt', 'pullStartedAt']) assert.match(running.detail[field], ISO, field);
    assert.equal(running.detail.containers[0].name, 'api');
    assert.equal(running.detail.containers[0].lastStatus, 'RUNNING');
    assert.match(running.detail.containers[0].imageDigest, /^sha256:/);

    const deployments = byType('ECS Deployment State Change');
    assert.deepEqual(deployments.map(e => [e.detail.eventType, e.detail.eventName]), [
      ['INFO', 'SERVICE_DEPLOYMENT_IN_PROGRESS'],
      ['INFO', 'SERVICE_DEPLOYMENT_COMPLETED'],
    ]);
    for (const e of deployments) {
      assert.deepEqual(e.resources, [serviceArn]);
      assert.equal(e.detail.deploymentId, deployment.id);
      assert.match(e.detail.updatedAt, ISO);
    }
    assert.equal(deployments[0].detail.reason, `ECS deployment ${deployment.id} in progress.`);
    assert.equal(deployments[1].detail.reason, `ECS deployment ${deployment.id} completed.`);

    const [steady] = byType('ECS Service Action');
    assert.deepEqual(steady.resources, [serviceArn]);
    assert.equal(steady.detail.eventType, 'INFO');
    assert.equal(steady.detail.clusterArn.split('/').pop(), cluster);
    assert.match(steady.detail.createdAt, ISO);
  });

  test('a broken image: TaskFailedToStart tasks, SERVICE_DEPLOYMENT_FAILED (ERROR), a rolling-back IN_PROGRESS, TASKS_STOPPED', async () => {
    const queue = await queueFor({ source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change', 'ECS Service Action', 'ECS Task State Change'] });
    const cluster = await createCluster(ctx.ecs);
    const family = unique('api');
    const good = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:1.0.0' });
    const bad = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/api:2.0.0-broken' });
    const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition: good, circuitBreaker: { enable: true, rollback: true } });
    await waitForRollout(ctx.ecs, cluster, serviceName, 'COMPLETED');
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, taskDefinition: bad }));
    const received = await waitFor('the rollback completed', async () => {
      const all = await queue.drain();
      const deployments = all.filter(e => e['detail-type'] === 'ECS Deployment State Change').map(e => e.detail.eventName);
      return deployments.filter(n => n === 'SERVICE_DEPLOYMENT_COMPLETED').length === 2 ? all : false;
    }, { timeoutMs: 20_000 });
    const deployments = received.filter(e => e['detail-type'] === 'ECS Deployment State Change').map(e => e.detail);
    const failed = deployments.find(d => d.eventName === 'SERVICE_DEPLOYMENT_FAILED');
    assert.equal(failed.eventType, 'ERROR');
    assert.equal(failed.reason, 'ECS deployment circuit breaker: tasks failed to start.');
    const rollback = deployments.filter(d => d.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS').at(-1);
    assert.match(rollback.reason, /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d{19}\.$/);
    const stoppedTasks = received.filter(e => e['detail-type'] === 'ECS Task State Change' && e.detail.lastStatus === 'STOPPED');
    assert.ok(stoppedTasks.some(e => e.detail.stopCode === 'TaskFailedToStart' && /^CannotPullContainerError/.test(e.detail.stoppedReason)));
    const actions = received.filter(e => e['detail-type'] === 'ECS Service Action').map(e => e.detail);
    const impaired = actions.find(d => d.eventName === 'SERVICE_TASK_START_IMPAIRED');
    assert.equal(impaired?.eventType, 'WARN');
    const stoppedAction = actions.find(d => d.eventName === 'TASKS_STOPPED');
    assert.ok(stoppedAction.taskArns.length >= 1 && stoppedAction.taskArns.every(a => a.includes(`:task/${cluster}/`)));
    assert.match(stoppedAction.reason, /has stopped \d+ running tasks/);
  });

  test('rules filter by pattern; a disabled rule delivers nothing; another account\'s bus hears only its own', async () => {
    const failedOnly = await queueFor({ source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] } });
    const { Credentials: c } = await client(ctx, STSClient).send(new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole', RoleSessionName: 'events',
    }));
    const staging = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const otherAccount = await queueFor(ALL_ECS, staging);
    const disabled = await queueFor(ALL_ECS);
    await disabled.events.send(new DisableRuleCommand({ Name: disabled.rule }));
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition });
    await waitForRollout(ctx.ecs, cluster, serviceName, 'COMPLETED');
    const sentinel = await queueFor(ALL_ECS);
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, forceNewDeployment: true }));
    await waitFor('events after the rules', async () => (await sentinel.drain()).some(e => e.detail.eventName === 'SERVICE_DEPLOYMENT_COMPLETED'));
    assert.deepEqual(await failedOnly.drain(), []);
    assert.deepEqual(await disabled.drain(), []);
    assert.deepEqual(await otherAccount.drain(), []);

    const stagingEcs = client(ctx, ECSClient, staging);
    const stagingCluster = await createCluster(stagingEcs);
    const stagingTd = await registerTaskDefinition(stagingEcs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
    const { serviceName: stagingService } = await createService(stagingEcs, { cluster: stagingCluster, taskDefinition: stagingTd });
    await waitForRollout(stagingEcs, stagingCluster, stagingService, 'COMPLETED');
    const own = await waitFor('the staging account\'s own events', async () => {
      const all = await otherAccount.drain();
      return all.some(e => e.detail.eventName === 'SERVICE_DEPLOYMENT_COMPLETED') ? all : false;
    });
    assert.ok(own.every(e => e.account === '111111111111'));
  });
});
