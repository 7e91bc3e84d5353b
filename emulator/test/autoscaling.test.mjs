// Application Auto Scaling of ECS services: what Terraform's aws_appautoscaling_target and
// aws_appautoscaling_policy need (tags, describe and deregister round trips), and the service's
// desired count brought within the registered bounds.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { autoscalingClient } from '@internal/dev-kit';
import {
  REGION,
  createCluster,
  createService,
  describeService,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });
const DIMENSION = 'ecs:service:DesiredCount';
let autoscaling;

/** A running service of its own; resolves with its cluster, name and App Auto Scaling resource id. */
async function service(desiredCount = 1) {
  const cluster = await createCluster(ctx.ecs);
  const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('scaled'), image: 'ghcr.io/acme/api:1.0.0' });
  const { serviceName } = await createService(ctx.ecs, { cluster, taskDefinition, desiredCount });
  return { cluster, serviceName, resourceId: `service/${cluster}/${serviceName}` };
}

const register = (resourceId, fields) =>
  autoscaling.send(
    new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ScalableDimension: DIMENSION, ResourceId: resourceId, ...fields }),
  );
const targets = async resourceId =>
  (await autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] })))
    .ScalableTargets;
const tagsOf = async arn => (await autoscaling.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;

describe('application auto scaling of ECS services', () => {
  before(() => {
    autoscaling = autoscalingClient(ctx.emulator.endpoint, REGION);
  });

  test('a target registered with tags describes as AWS does and lists its tags', async () => {
    const { resourceId } = await service(2);
    const tags = { 'backstage:entity-ref': 'component:default/api', 'backstage:environment': 'prod' };
    const { ScalableTargetARN } = await register(resourceId, { MinCapacity: 2, MaxCapacity: 6, Tags: tags });
    assert.match(ScalableTargetARN, new RegExp(`^arn:aws:application-autoscaling:${REGION}:\\d{12}:scalable-target/`));

    const [target] = await targets(resourceId);
    assert.equal(target.ScalableTargetARN, ScalableTargetARN);
    assert.deepEqual([target.ResourceId, target.ScalableDimension, target.MinCapacity, target.MaxCapacity], [resourceId, DIMENSION, 2, 6]);
    assert.deepEqual(target.SuspendedState, {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    });
    assert.deepEqual(await tagsOf(ScalableTargetARN), tags);
  });

  test('TagResource and UntagResource change the tags; registering again keeps them', async () => {
    const { resourceId } = await service(2);
    const { ScalableTargetARN: arn } = await register(resourceId, { MinCapacity: 2, MaxCapacity: 4, Tags: { team: 'payments' } });
    await autoscaling.send(new TagResourceCommand({ ResourceARN: arn, Tags: { owner: 'alice', team: 'search' } }));
    assert.deepEqual(await tagsOf(arn), { team: 'search', owner: 'alice' });
    await autoscaling.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team', 'absent'] }));
    assert.deepEqual(await tagsOf(arn), { owner: 'alice' });

    // Updating an existing target: new bounds, same ARN; Tags only apply to a new target.
    const again = await register(resourceId, { MinCapacity: 1, MaxCapacity: 8, Tags: { other: 'x' } });
    assert.equal(again.ScalableTargetARN, arn);
    assert.deepEqual((await targets(resourceId)).map(t => [t.MinCapacity, t.MaxCapacity]), [[1, 8]]);
    assert.deepEqual(await tagsOf(arn), { owner: 'alice' });
  });

  test('the tags of an unknown target are ResourceNotFoundException', async () => {
    const arn = `arn:aws:application-autoscaling:${REGION}:123456789012:scalable-target/nosuchtarget`;
    for (const command of [
      new ListTagsForResourceCommand({ ResourceARN: arn }),
      new TagResourceCommand({ ResourceARN: arn, Tags: { a: 'b' } }),
      new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['a'] }),
    ]) {
      await assert.rejects(autoscaling.send(command), e => {
        assert.equal(e.name, 'ResourceNotFoundException');
        assert.match(e.message, /nosuchtarget/);
        return true;
      });
    }
  });

  test('deregistering deletes the target, its policies and its tags', async () => {
    const { resourceId } = await service(2);
    const { ScalableTargetARN: arn } = await register(resourceId, { MinCapacity: 2, MaxCapacity: 6, Tags: { a: 'b' } });
    const policyName = unique('cpu');
    await autoscaling.send(
      new PutScalingPolicyCommand({
        PolicyName: policyName,
        PolicyType: 'TargetTrackingScaling',
        ServiceNamespace: 'ecs',
        ResourceId: resourceId,
        ScalableDimension: DIMENSION,
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 70,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      }),
    );
    const policies = async () =>
      (await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId })))
        .ScalingPolicies;
    assert.deepEqual(
      (await policies()).map(p => [p.PolicyName, p.TargetTrackingScalingPolicyConfiguration.TargetValue]),
      [[policyName, 70]],
    );

    await autoscaling.send(
      new DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: DIMENSION }),
    );
    assert.deepEqual(await targets(resourceId), []);
    assert.deepEqual(await policies(), []);
    await assert.rejects(tagsOf(arn), { name: 'ResourceNotFoundException' });
    await assert.rejects(
      autoscaling.send(
        new DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: DIMENSION }),
      ),
      { name: 'ValidationException' },
    );
  });

  test('registering bounds above the desired count scales the service out to the minimum', async () => {
    const { cluster, serviceName, resourceId } = await service(1);
    await register(resourceId, { MinCapacity: 3, MaxCapacity: 5 });
    assert.equal((await describeService(ctx.ecs, cluster, serviceName)).desiredCount, 3);
    await waitFor('3 running tasks', async () => {
      const tasks = await serviceTasks(ctx.ecs, cluster, serviceName);
      return tasks.length === 3 && tasks.every(t => t.lastStatus === 'RUNNING');
    });
  });

  test('registering bounds below the desired count scales the service in to the maximum', async () => {
    const { cluster, serviceName, resourceId } = await service(4);
    await register(resourceId, { MinCapacity: 1, MaxCapacity: 2 });
    const scaled = await waitFor('2 running tasks', async () => {
      const s = await describeService(ctx.ecs, cluster, serviceName);
      return s.runningCount === 2 && s.pendingCount === 0 ? s : false;
    });
    assert.equal(scaled.desiredCount, 2);
  });

  test('a target for a service that does not exist is refused', async () => {
    const cluster = await createCluster(ctx.ecs);
    await assert.rejects(register(`service/${cluster}/absent`, { MinCapacity: 1, MaxCapacity: 2 }), {
      name: 'ValidationException',
      message: `ECS service doesn't exist: service/${cluster}/absent`,
    });
  });
});
