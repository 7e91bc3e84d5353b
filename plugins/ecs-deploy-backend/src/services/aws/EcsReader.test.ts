import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { eventually } from '@internal/dev-kit';
import { mockClient } from 'aws-sdk-client-mock';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { buildReadStack } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);
const autoScalingMock = mockClient(ApplicationAutoScalingClient);

beforeEach(() => {
  ecsMock.reset();
  autoScalingMock.reset();
  autoScalingMock.on(DescribeScalableTargetsCommand).callsFake(input => ({
    ScalableTargets: input.ResourceIds.map((id: string) => ({
      ResourceId: id,
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 2,
      MaxCapacity: 6,
    })),
  }));
  // Staging and prod run the same revision (one task definition shared by both clusters).
  ecsMock.on(DescribeServicesCommand).callsFake(input => ({
    services: input.services.map((n: string) =>
      serviceShape(n, input.cluster, {
        taskDefinition: tdArn(`${n}-shared`),
        deployments: [
          {
            ...serviceShape(n, input.cluster).deployments![0],
            taskDefinition: tdArn(`${n}-shared`),
          },
        ],
      }),
    ),
  }));
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, revision] = input.taskDefinition.split('/').pop().split(':');
    return { taskDefinition: taskDefinitionShape(family, Number(revision)) };
  });
});

describe('DefaultEcsReader', () => {
  it('reads a task definition that several environments share once, by ARN', async () => {
    const { reader, settings } = await buildReadStack({
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
    });
    const [staging, prod] = settings.environments;
    const names = ['a', 'b', 'c'];
    const [s, p] = await Promise.all([
      reader.readServices(staging, names),
      reader.readServices(prod, names),
    ]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    const described = ecsMock
      .commandCalls(DescribeTaskDefinitionCommand)
      .map(c => c.args[0].input.taskDefinition)
      .sort();
    expect(described).toEqual(names.map(n => tdArn(`${n}-shared`)).sort());
    expect(Object.keys(p.get('a')!.taskDefinitions)).toEqual(
      Object.keys(s.get('a')!.taskDefinitions),
    );
  });

  it('reads the autoscaling bounds alongside DescribeServices, and keeps them only for services that exist', async () => {
    const { reader, settings } = await buildReadStack();
    const [staging] = settings.environments;
    let answer: (value: object) => void = () => {};
    ecsMock.on(DescribeServicesCommand).callsFake(
      input =>
        new Promise(resolve => {
          answer = () =>
            resolve({
              services: [serviceShape(input.services[0], input.cluster)],
            });
        }),
    );
    const read = reader.readServices(staging, ['a', 'gone']);
    // DescribeServices is held unanswered: the bounds are asked for meanwhile.
    const asked = await eventually(
      'DescribeScalableTargets while DescribeServices is unanswered',
      () => {
        const ids = autoScalingMock
          .commandCalls(DescribeScalableTargetsCommand)
          .flatMap(c => c.args[0].input.ResourceIds);
        return ids.length === 2 && ids;
      },
      { timeoutMs: 2000, intervalMs: 5 },
    );
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(asked.sort()).toEqual([
      `service/${staging.cluster}/a`,
      `service/${staging.cluster}/gone`,
    ]);
    answer({});
    const result = await read;
    expect(result.get('a')!.scalableTarget).toMatchObject({
      MinCapacity: 2,
      MaxCapacity: 6,
    });
    expect(result.get('gone')).toEqual({
      service: undefined,
      taskDefinitions: {},
      scalableTarget: undefined,
    });
  });

  it('batches the names of concurrent readers while DescribeServices calls are in flight', async () => {
    const { reader, settings } = await buildReadStack();
    const [staging] = settings.environments;
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    // ECS answers only once every page has asked (pages opened one after another).
    const held: Array<() => void> = [];
    ecsMock.on(DescribeServicesCommand).callsFake(
      input =>
        new Promise(resolve =>
          held.push(() =>
            resolve({
              services: input.services.map((n: string) =>
                serviceShape(n, input.cluster),
              ),
            }),
          ),
        ),
    );
    const pending: Array<ReturnType<typeof reader.readServices>> = [];
    for (const name of names) {
      pending.push(reader.readServices(staging, [name]));
      await new Promise(resolve => setImmediate(resolve));
    }
    await eventually('the calls sent', () => held.length >= 2, {
      timeoutMs: 2000,
      intervalMs: 5,
    });
    while (held.length > 0) {
      held.shift()!();
      await new Promise(resolve => setImmediate(resolve));
    }
    const reads = await Promise.all(pending);
    reads.forEach((read, i) =>
      expect(read.get(names[i])!.service?.serviceName).toBe(names[i]),
    );
    // Two go at once, the eight asked for meanwhile go together.
    const calls = ecsMock
      .commandCalls(DescribeServicesCommand)
      .map(c => c.args[0].input.services!.length);
    expect(calls).toEqual([1, 1, 8]);
  });
});
