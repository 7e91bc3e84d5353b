// Deployment strategies and the service-deployment APIs: LINEAR and CANARY traffic steps with bake
// times, PAUSE lifecycle hooks answered by ContinueServiceDeployment, deployment alarms with rollback
// (ROLLING and BLUE_GREEN), StopServiceDeployment, ListServiceDeployments and DescribeServiceRevisions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  createCluster,
  describeService,
  latestServiceDeployment,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';
import { create5xxAlarm, createLoadBalancedService, createLoadBalancer, serviceRequest } from './network.mjs';

const ctx = useEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });

async function describeDeployment(arn) {
  const { serviceDeployments } = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return serviceDeployments[0];
}

/**
 * A COMPLETED load-balanced service of 2 tasks on v1 with this configuration (its lifecycle hooks
 * are added with the update), and a v2 deployed to it.
 */
async function deployV2(deploymentConfiguration, image2 = 'ghcr.io/acme/web:2.0.0') {
  const cluster = await createCluster(ctx.ecs);
  const lb = await createLoadBalancer(ctx);
  const family = unique('web');
  const v1 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:1.0.0' });
  const { lifecycleHooks, ...initial } = deploymentConfiguration;
  const name = await createLoadBalancedService(ctx, { cluster, taskDefinition: v1, lb, deploymentConfiguration: initial });
  const first = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED', { timeoutMs: 30_000 });
  const blueTasks = await serviceTasks(ctx.ecs, cluster, name);
  const v2 = await registerTaskDefinition(ctx.ecs, { family, image: image2 });
  await ctx.ecs.send(new UpdateServiceCommand({
    cluster, service: name, taskDefinition: v2, ...(lifecycleHooks && { deploymentConfiguration: { lifecycleHooks } }),
  }));
  const record = await latestServiceDeployment(ctx.ecs, cluster, name);
  return { cluster, name, lb, v1, v2, first, blueTasks, arn: record.serviceDeploymentArn };
}

/** A load-balanced service on v1 whose deployments watch a new 5xx alarm (with rollback). */
async function alarmedService(evaluationPeriods, deploymentConfiguration) {
  const cluster = await createCluster(ctx.ecs);
  const lb = await createLoadBalancer(ctx);
  const alarm = await create5xxAlarm(ctx, lb, evaluationPeriods);
  const family = unique('web');
  const v1 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:1.0.0' });
  const name = await createLoadBalancedService(ctx, {
    cluster, taskDefinition: v1, lb,
    deploymentConfiguration: { ...deploymentConfiguration, alarms: { alarmNames: [alarm], enable: true, rollback: true } },
  });
  return { cluster, name, family, v1, alarm };
}

/** Polls DescribeServiceDeployments until `done`, collecting every answer. */
async function followDeployment(arn, done, { timeoutMs = 60_000, onEach } = {}) {
  const seen = [];
  await waitFor(`service deployment ${arn}`, async () => {
    const d = await describeDeployment(arn);
    seen.push(d);
    await onEach?.(d);
    return done(d);
  }, { timeoutMs, intervalMs: 50 });
  return seen;
}

describe('traffic-shifting strategies', () => {
  test('LINEAR 50 %: green scales up, traffic moves 50 then 100, both run through the bake, blue stops at clean-up', async () => {
    const d = await deployV2({
      strategy: 'LINEAR', bakeTimeInMinutes: 2,
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
      maximumPercent: 200, minimumHealthyPercent: 100,
    });
    const blueRunningInBake = [];
    const seen = await followDeployment(d.arn, x => x.status === 'SUCCESSFUL', {
      onEach: async x => {
        if (x.lifecycleStage === 'BAKE_TIME') {
          blueRunningInBake.push((await serviceTasks(ctx.ecs, d.cluster, d.name)).filter(t => t.taskDefinitionArn === d.v1).length);
        }
      },
    });
    const stages = [...new Set(seen.map(x => x.lifecycleStage))];
    assert.deepEqual(stages.filter(s => ['SCALE_UP', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'].includes(s)),
      ['SCALE_UP', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);
    const weights = [...new Set(seen.map(x => x.targetServiceRevision.requestedProductionTrafficWeight))];
    assert.deepEqual(weights, [0, 50, 100]);
    const atHalf = seen.find(x => x.targetServiceRevision.requestedProductionTrafficWeight === 50);
    assert.equal(atHalf.sourceServiceRevisions[0].requestedProductionTrafficWeight, 50);
    assert.equal(atHalf.targetServiceRevision.runningTaskCount, 2, 'green runs in full beside blue');
    assert.ok(blueRunningInBake.length && blueRunningInBake.every(n => n === 2), `blue during bake: ${blueRunningInBake}`);
    const last = seen.at(-1);
    assert.equal(last.deploymentConfiguration.strategy, 'LINEAR');
    assert.ok(last.finishedAt instanceof Date);
    const done = await waitForRollout(ctx.ecs, d.cluster, d.name, 'COMPLETED');
    assert.equal(done.taskDefinition, d.v2);
    assert.deepEqual((await serviceTasks(ctx.ecs, d.cluster, d.name)).map(t => t.taskDefinitionArn), [d.v2, d.v2]);

    const { serviceRevisions: [revision] } = await ctx.ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [last.targetServiceRevision.arn] }),
    );
    assert.equal(revision.taskDefinition, d.v2);
    assert.deepEqual(revision.containerImages, [{ containerName: 'api', image: 'ghcr.io/acme/web:2.0.0' }]);
    assert.equal(revision.loadBalancers[0].targetGroupArn, d.lb.targetGroupArn);
  });

  test('CANARY with a PAUSE hook: held at each production step until continued; traffic 0 → 10 → 100', async () => {
    const d = await deployV2({
      strategy: 'CANARY', bakeTimeInMinutes: 0,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const weightsAtHolds = [];
    for (let hold = 0; hold < 2; hold++) {
      const held = await waitFor('held at a PAUSE hook', async () => {
        const x = await describeDeployment(d.arn);
        const waiting = x.lifecycleHookDetails?.find(h => h.status === 'AWAITING_ACTION');
        return waiting ? { x, waiting } : false;
      }, { timeoutMs: 20_000 });
      assert.equal(held.x.lifecycleStage, 'PRODUCTION_TRAFFIC_SHIFT');
      assert.equal(held.waiting.targetType, 'PAUSE');
      weightsAtHolds.push(held.x.targetServiceRevision.requestedProductionTrafficWeight);
      await ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: d.arn, hookId: held.waiting.hookId, action: 'CONTINUE' }));
    }
    assert.deepEqual(weightsAtHolds, [0, 10]);
    const [last] = (await followDeployment(d.arn, x => x.status === 'SUCCESSFUL')).slice(-1);
    assert.ok(last.lifecycleHookDetails.every(h => h.status === 'SUCCEEDED'));
    const again = await ctx.ecs.send(new ContinueServiceDeploymentCommand({
      serviceDeploymentArn: d.arn, hookId: last.lifecycleHookDetails[0].hookId, action: 'CONTINUE',
    })).then(() => null, e => e.name);
    assert.equal(again, 'ConflictException');
  });

  test('a PAUSE hook answered ROLLBACK: the blue revision takes the traffic back, green stops', async () => {
    const d = await deployV2({
      strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    });
    const { waiting } = await waitFor('held after scale-up', async () => {
      const x = await describeDeployment(d.arn);
      const hook = x.lifecycleHookDetails?.find(h => h.status === 'AWAITING_ACTION');
      return hook ? { waiting: hook } : false;
    }, { timeoutMs: 20_000 });
    await ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: d.arn, hookId: waiting.hookId, action: 'ROLLBACK' }));
    const [last] = (await followDeployment(d.arn, x => x.status === 'ROLLBACK_SUCCESSFUL')).slice(-1);
    assert.match(last.rollback.reason, /rolled back at lifecycle hook/);
    assert.match(last.rollback.serviceRevisionArn, /:service-revision\//);
    const service = await describeService(ctx.ecs, d.cluster, d.name);
    assert.equal(service.taskDefinition, d.v1);
    assert.deepEqual(service.deployments.map(x => [x.id, x.rolloutState]), [[d.first.deployments[0].id, 'COMPLETED']]);
    const tasks = await serviceTasks(ctx.ecs, d.cluster, d.name);
    assert.deepEqual(tasks.map(t => t.taskArn).sort(), d.blueTasks.map(t => t.taskArn).sort(), 'the blue tasks never stopped');
  });

  test('BLUE_GREEN with a deployment alarm: -errors trips it during the bake and blue serves again', async () => {
    const { cluster, name, family, v1, alarm } = await alarmedService(1, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED', { timeoutMs: 30_000 });
    const v2 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:2.0.0-errors' });
    // A long bake: the alarm fires well within it.
    await ctx.ecs.send(new UpdateServiceCommand({
      cluster, service: name, taskDefinition: v2, deploymentConfiguration: { bakeTimeInMinutes: 30 },
    }));
    const { serviceDeploymentArn: arn } = await latestServiceDeployment(ctx.ecs, cluster, name);
    const seen = await followDeployment(arn, x => x.status === 'ROLLBACK_SUCCESSFUL');
    assert.ok(seen.some(x => x.targetServiceRevision.requestedProductionTrafficWeight === 100), 'the alarm fired after the traffic moved');
    assert.equal(seen.at(-1).targetServiceRevision.requestedProductionTrafficWeight, 0, 'and went back to blue');
    const last = seen.at(-1);
    assert.deepEqual(last.alarms, { status: 'TRIGGERED', alarmNames: [alarm], triggeredAlarmNames: [alarm] });
    const service = await describeService(ctx.ecs, cluster, name);
    assert.equal(service.taskDefinition, v1);
    assert.ok(service.events.some(e => e.message.includes('deployment failed: alarm detected')));
    const answer = await waitFor('blue answers', async () => {
      const r = await serviceRequest(ctx, cluster, name);
      return r.status === 200 ? r : false;
    });
    assert.equal(answer.body.image, 'ghcr.io/acme/web:1.0.0');
  });
});

describe('ROLLING with alarms, StopServiceDeployment, ListServiceDeployments', () => {
  test('rolling deployment alarm with rollback: FAILED naming the alarm, a rollback deployment, ROLLBACK_SUCCESSFUL', async () => {
    const { cluster, name, family, v1, alarm } = await alarmedService(6, {});
    const first = await latestServiceDeployment(ctx.ecs, cluster, name);
    const seenFirst = await followDeployment(first.serviceDeploymentArn, x => x.status === 'SUCCESSFUL');
    assert.ok(seenFirst.some(x => x.lifecycleStage === 'BAKE_TIME'), 'a bake of period × evaluation periods (6 s) after the replacement');

    const v2 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:2.0.0-errors' });
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: v2 }));
    const { serviceDeploymentArn: arn } = await latestServiceDeployment(ctx.ecs, cluster, name);
    const failed = await waitFor('FAILED by the alarm', async () => {
      const s = await describeService(ctx.ecs, cluster, name);
      return s.deployments.find(x => x.rolloutState === 'FAILED') ? s : false;
    });
    const failedDeployment = failed.deployments.find(x => x.rolloutState === 'FAILED');
    assert.equal(failedDeployment.rolloutStateReason, `ECS deployment ${failedDeployment.id} failed: alarm(s) ${alarm} in ALARM state.`);
    const last = (await followDeployment(arn, x => x.status === 'ROLLBACK_SUCCESSFUL')).at(-1);
    assert.deepEqual(last.alarms.triggeredAlarmNames, [alarm]);
    const done = await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    assert.equal(done.taskDefinition, v1);
    assert.match(done.deployments[0].rolloutStateReason, /completed\.$/);
  });

  test('StopServiceDeployment rolls an in-progress rolling deployment back; only ROLLBACK is a stop type; a finished one conflicts', async () => {
    const cluster = await createCluster(ctx.ecs);
    const lb = await createLoadBalancer(ctx);
    const family = unique('web');
    const v1 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:1.0.0' });
    const name = await createLoadBalancedService(ctx, { cluster, taskDefinition: v1, lb });
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const v2 = await registerTaskDefinition(ctx.ecs, { family, image: 'ghcr.io/acme/web:2.0.0' });
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: v2 }));
    const { serviceDeploymentArn: arn } = await latestServiceDeployment(ctx.ecs, cluster, name);

    const abort = await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' })).then(() => null, e => e.name);
    assert.equal(abort, 'InvalidParameterException');
    await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const last = (await followDeployment(arn, x => x.status === 'ROLLBACK_SUCCESSFUL')).at(-1);
    assert.equal(last.rollback.reason, 'Service deployment rolled back by StopServiceDeployment.');
    assert.equal((await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED')).taskDefinition, v1);
    const again = await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })).then(() => null, e => e.name);
    assert.equal(again, 'ConflictException');
    const missing = await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x` })).then(() => null, e => e.name);
    assert.equal(missing, 'ServiceDeploymentNotFoundException');

    const all = (await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: name }))).serviceDeployments;
    assert.deepEqual(all.map(x => x.status), ['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
    assert.ok(all.every(x => x.serviceArn.endsWith(`/${name}`) && x.targetServiceRevisionArn.includes(':service-revision/')));
    const page = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: name, maxResults: 1 }));
    assert.equal(page.serviceDeployments.length, 1);
    const next = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: name, maxResults: 1, nextToken: page.nextToken }));
    assert.equal(next.serviceDeployments[0].serviceDeploymentArn, all[1].serviceDeploymentArn);
    assert.equal(next.nextToken, undefined);
    const successful = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: name, status: ['SUCCESSFUL'] }));
    assert.deepEqual(successful.serviceDeployments.map(x => x.serviceDeploymentArn), [all[1].serviceDeploymentArn]);
    const { failures } = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [`${arn}x`] }));
    assert.deepEqual(failures, [{ arn: `${arn}x`, reason: 'MISSING' }]);
  });
});
