import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { buildReadStack } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);

beforeEach(() => {
  ecsMock.reset();
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

  it("never joins an event's read to one sent before it, nor queues it behind them", async () => {
    const { reader, settings } = await buildReadStack({
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
      extra: { aws: { maxAttempts: 1, maxConcurrentCalls: 1 } },
    });
    const [staging] = settings.environments;
    let answerFirst: () => void = () => {};
    const first = new Promise<void>(resolve => (answerFirst = resolve));
    const asked: string[][] = [];
    ecsMock.on(DescribeServicesCommand).callsFake(async input => {
      asked.push(input.services);
      if (asked.length === 1) await first;
      return {
        services: input.services.map((n: string) =>
          serviceShape(n, input.cluster),
        ),
      };
    });
    // The index's read of 'a' is in flight, and one for 'b' waits for the one slot.
    const before = reader.readServices(staging, ['a']);
    await new Promise(resolve => setTimeout(resolve, 10));
    const queued = reader.readServices(staging, ['b']);
    // An ECS event about 'a' came meanwhile: its read goes now, on its own.
    const event = await reader.readServices(staging, ['a'], { urgent: true });
    expect(event.get('a')?.service?.serviceName).toBe('a');
    expect(asked).toEqual([['a'], ['a']]);
    answerFirst();
    await Promise.all([before, queued]);
    expect(asked).toEqual([['a'], ['a'], ['b']]);
  });

  it('sends the names of viewers who wait for the read budget in one DescribeServices', async () => {
    const { reader, settings, clients } = await buildReadStack({
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
    });
    const [staging] = settings.environments;
    // Spend this window's DescribeServices points (0.75 of ECS's 20 a second).
    for (let i = 0; i < 15; i++) {
      await clients.ecsReadPoint(staging, 'DescribeServices');
    }
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const read = await Promise.all(
      names.map(name => reader.readServices(staging, [name])),
    );
    expect(read.map(r => [...r.keys()][0])).toEqual(names);
    expect(
      ecsMock
        .commandCalls(DescribeServicesCommand)
        .map(c => c.args[0].input.services),
    ).toEqual([names]);
  });
});
