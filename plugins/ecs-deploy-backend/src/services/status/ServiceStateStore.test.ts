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
} from '../../__testUtils__/ecsShapes';
import { buildReadStack } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);
const calls = () => ecsMock.commandCalls(DescribeServicesCommand).length;

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeServicesCommand).callsFake(input => ({
    services: input.services.map((n: string) => serviceShape(n, input.cluster)),
  }));
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, revision] = input.taskDefinition.split('/').pop().split(':');
    return { taskDefinition: taskDefinitionShape(family, Number(revision)) };
  });
});

describe('CachedServiceStateStore (stale-while-revalidate)', () => {
  const TTL = 0.2;

  it('serves a just-expired entry at once and refreshes it once in the background, whatever the readers', async () => {
    const { store, settings } = buildReadStack({
      extra: { cache: { statusTtlSeconds: TTL } },
    });
    const staging = settings.environments[0];
    await store.read(staging, ['a', 'b']);
    expect(calls()).toBe(1);
    await new Promise(r => setTimeout(r, TTL * 1000 + 50));
    ecsMock.on(DescribeServicesCommand).callsFake(
      async input =>
        new Promise(r =>
          setTimeout(
            () =>
              r({
                services: input.services.map((n: string) =>
                  serviceShape(n, input.cluster),
                ),
              }),
            100,
          ),
        ),
    );
    const started = Date.now();
    const reads = await Promise.all(
      Array.from({ length: 5 }, () => store.read(staging, ['a', 'b'])),
    );
    expect(Date.now() - started).toBeLessThan(80); // nobody waited for ECS
    expect(reads.every(r => r.get('a')?.state && !r.get('a')?.stale)).toBe(
      true,
    );
    await eventually('the refresh', () => calls() === 2);
    await new Promise(r => setTimeout(r, 150));
    expect(calls()).toBe(2);
  });

  it('refreshes what falls due soon with what is due, in one wave', async () => {
    const ttl = 1;
    const { store, settings } = buildReadStack({
      extra: { cache: { statusTtlSeconds: ttl } },
    });
    const env = settings.environments[0];
    const until = (at: number) =>
      new Promise(r => setTimeout(r, Math.max(0, at - Date.now())));
    await store.read(env, ['a']);
    const aDue = Date.now() + ttl * 1000;
    await new Promise(r => setTimeout(r, 150));
    await store.read(env, ['b']); // b falls due about 150 ms after a
    const bDue = Date.now() + ttl * 1000;
    expect(calls()).toBe(2);
    await until(aDue + 20);
    await store.read(env, ['a', 'b']); // a is due, b within half a TTL
    await eventually('the refresh', () => calls() >= 3);
    expect(
      ecsMock.commandCalls(DescribeServicesCommand)[2].args[0].input.services,
    ).toEqual(['a', 'b']);
    // When b would have fallen due on its own, nothing is read again.
    await until(bDue + 30);
    await store.read(env, ['a', 'b']);
    await new Promise(r => setTimeout(r, 50));
    expect(calls()).toBe(3);
  });

  it('shares the refresh marker with other replicas through the cache', async () => {
    const shared = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ecs-deploy',
    );
    const one = buildReadStack({
      extra: { cache: { statusTtlSeconds: TTL } },
      cache: shared,
    });
    const two = buildReadStack({
      extra: { cache: { statusTtlSeconds: TTL } },
      cache: shared,
    });
    const env = one.settings.environments[0];
    await one.store.read(env, ['a']);
    await new Promise(r => setTimeout(r, TTL * 1000 + 50));
    await Promise.all([one.store.read(env, ['a']), two.store.read(env, ['a'])]);
    await eventually('the refresh', () => calls() >= 2);
    await new Promise(r => setTimeout(r, 200));
    expect(calls()).toBe(2); // the first read, then one refresh for both replicas
  });

  it("keeps a replica's own copy while fresh, and drops it when another replica invalidates the environment", async () => {
    const shared = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ecs-deploy',
    );
    const one = buildReadStack({
      extra: { cache: { statusTtlSeconds: 60 } },
      cache: shared,
    });
    const two = buildReadStack({
      extra: { cache: { statusTtlSeconds: 60 } },
      cache: shared,
    });
    const env = one.settings.environments[0];
    await one.store.read(env, ['a']);
    const get = jest.spyOn(shared, 'get');
    await one.store.read(env, ['a']);
    expect(get.mock.calls.map(c => c[0])).toEqual(['generation:staging']); // the entry came from the copy
    await two.store.invalidate(env, 'a');
    get.mockClear();
    await one.store.read(env, ['a']);
    expect(get.mock.calls.map(c => c[0]).slice(0, 2)).toEqual([
      'generation:staging',
      'state:staging:a',
    ]);
    expect(calls()).toBe(2); // read from ECS again: the entry was invalidated
  });

  it('waits for ECS when the entry is long expired or a fresh read is asked for', async () => {
    const { store, settings } = buildReadStack({
      extra: { cache: { statusTtlSeconds: 0.05 } },
    });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    await new Promise(r => setTimeout(r, 250));
    await store.read(env, ['a']);
    expect(calls()).toBe(2);
    await store.read(env, ['a'], { fresh: true });
    expect(calls()).toBe(3);
  });
});
