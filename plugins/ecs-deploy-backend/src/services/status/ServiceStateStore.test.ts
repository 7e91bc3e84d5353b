/*
 * The status cache's stale-while-revalidate behaviour on a fake clock: the cache's `now` is
 * moved by hand, and ECS (mocked) answers when a test lets it, so nothing depends on how fast
 * the machine is.
 */
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
import { buildReadStack, memoryStores } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);
const calls = () => ecsMock.commandCalls(DescribeServicesCommand).length;
const describe10 = (input: any) => ({
  services: input.services.map((n: string) => serviceShape(n, input.cluster)),
});

/** A clock the test moves. */
function fakeClock(start = Date.parse('2026-12-01T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** DescribeServices held until `release()`: what ECS answers slowly looks like. */
function holdEcs() {
  const held: Array<() => void> = [];
  ecsMock
    .on(DescribeServicesCommand)
    .callsFake(
      input =>
        new Promise(resolve => held.push(() => resolve(describe10(input)))),
    );
  return {
    held: () => held.length,
    release: () => held.splice(0).forEach(go => go()),
  };
}

/** Lets every pending microtask and I/O callback run (the background refresh's steps). */
const settle = () => new Promise(r => setTimeout(r, 20));

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeServicesCommand).callsFake(describe10);
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, revision] = input.taskDefinition.split('/').pop().split(':');
    return { taskDefinition: taskDefinitionShape(family, Number(revision)) };
  });
});

describe('CachedServiceStateStore (stale-while-revalidate)', () => {
  const TTL_MS = 10_000;
  const ttl = { cache: { statusTtl: { milliseconds: TTL_MS } } };

  it('serves a just-expired entry at once and refreshes it once in the background, whatever the readers', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const staging = settings.environments[0];
    await store.read(staging, ['a', 'b']);
    expect(calls()).toBe(1);
    clock.advance(TTL_MS + 50);
    const ecs = holdEcs();
    const reads = await Promise.all(
      Array.from({ length: 5 }, () => store.read(staging, ['a', 'b'])),
    );
    // Every reader was answered while ECS had not answered the refresh: nobody waited for it.
    await eventually('the refresh to reach ECS', () => ecs.held() === 1);
    expect(reads.every(r => r.get('a')?.state && !r.get('a')?.stale)).toBe(
      true,
    );
    ecs.release();
    await settle();
    await Promise.all(
      Array.from({ length: 5 }, () => store.read(staging, ['a', 'b'])),
    );
    await settle();
    expect(calls()).toBe(2);
  });

  it('refreshes what falls due soon with what is due, in one wave', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    clock.advance(1500);
    await store.read(env, ['b']); // b falls due 1.5 s after a
    expect(calls()).toBe(2);
    clock.advance(TTL_MS - 1500 + 20); // a is due, b within half a TTL
    await store.read(env, ['a', 'b']);
    await eventually('the refresh', () => calls() >= 3);
    expect(
      ecsMock.commandCalls(DescribeServicesCommand)[2].args[0].input.services,
    ).toEqual(['a', 'b']);
    // When b would have fallen due on its own, nothing is read again.
    clock.advance(1500);
    await store.read(env, ['a', 'b']);
    await settle();
    expect(calls()).toBe(3);
  });

  it('lets one replica refresh an entry, through a claim in the shared database', async () => {
    const clock = fakeClock();
    const shared = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ecs-deploy',
    );
    const { locks } = await memoryStores();
    const replica = () =>
      buildReadStack({ extra: ttl, cache: shared, locks, ...clock });
    const [one, two] = await Promise.all([replica(), replica()]);
    const env = one.settings.environments[0];
    await one.store.read(env, ['a']);
    clock.advance(TTL_MS + 50);
    const ecs = holdEcs();
    await Promise.all([one.store.read(env, ['a']), two.store.read(env, ['a'])]);
    await eventually('the refresh to reach ECS', () => ecs.held() === 1);
    // The claim is held while the refresh runs: neither replica starts another.
    await Promise.all([one.store.read(env, ['a']), two.store.read(env, ['a'])]);
    await settle();
    expect(ecs.held()).toBe(1);
    ecs.release();
    await settle();
    expect(calls()).toBe(2); // the first read, then one refresh for both replicas
  });

  it("keeps a replica's own copy while fresh, and drops it when another replica invalidates the environment", async () => {
    const shared = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ecs-deploy',
    );
    const { locks } = await memoryStores();
    const extra = { cache: { statusTtl: { seconds: 60 } } };
    const one = await buildReadStack({ extra, cache: shared, locks });
    const two = await buildReadStack({ extra, cache: shared, locks });
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

  it("preloads a replica's own copy from the shared cache, without reading ECS", async () => {
    const shared = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'ecs-deploy',
    );
    const { locks } = await memoryStores();
    const extra = { cache: { statusTtl: { seconds: 60 } } };
    const one = await buildReadStack({ extra, cache: shared, locks });
    const env = one.settings.environments[0];
    await one.store.read(env, ['a', 'b']);
    const two = await buildReadStack({ extra, cache: shared, locks });
    expect(await two.store.preload(env, ['a', 'b', 'never-read'])).toBe(2);
    const get = jest.spyOn(shared, 'get');
    const read = await two.store.read(env, ['a', 'b']);
    expect(get.mock.calls.map(c => c[0])).toEqual(['generation:staging']); // both from the copy
    expect(read.get('b')?.state?.summary?.name).toBe('b');
    expect(calls()).toBe(1); // only the first replica's read reached ECS
  });

  it('waits for ECS when the entry is long expired or a fresh read is asked for', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    // Past the TTL and the serve-while-refreshing span (3 TTLs by default).
    clock.advance(4 * TTL_MS + 1);
    await store.read(env, ['a']);
    expect(calls()).toBe(2);
    await store.read(env, ['a'], { fresh: true });
    expect(calls()).toBe(3);
  });

  it('indexed only: never waits for ECS; a long-expired entry is served stale and refreshed behind, a service never read has no state', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    clock.advance(4 * TTL_MS + 1);
    const ecs = holdEcs();
    const read = await store.read(env, ['a', 'never-read'], {
      indexedOnly: true,
    });
    expect(read.get('a')).toMatchObject({
      stale: true,
      state: { summary: { name: 'a' } },
    });
    expect(read.get('never-read')).toEqual({});
    await eventually('the refresh behind', () => ecs.held() === 1);
    const describedNames = ecsMock
      .commandCalls(DescribeServicesCommand)
      .slice(1)
      .flatMap(c => c.args[0].input.services);
    expect(describedNames).toEqual(['a']); // the index reads never-read, not the view
    ecs.release();
  });

  it('indexed only with readNew (the lists): a service never read is read now, a long-expired one still served stale', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    clock.advance(4 * TTL_MS + 1);
    const read = await store.read(env, ['a', 'b'], {
      indexedOnly: true,
      readNew: true,
    });
    expect(read.get('a')).toMatchObject({
      stale: true,
      state: { summary: { name: 'a' } },
    });
    expect(read.get('b')?.state?.summary?.name).toBe('b');
    // 'b' read for the view, 'a' refreshed behind it: one call each, in either order.
    await eventually('the refresh behind', () => calls() === 3);
    const described = ecsMock
      .commandCalls(DescribeServicesCommand)
      .slice(1)
      .map(c => c.args[0].input.services?.join());
    expect(described.sort()).toEqual(['a', 'b']);
  });

  it('refreshes on demand (what an ECS event consumer calls) and serves the refreshed state', async () => {
    const clock = fakeClock();
    const { store, settings } = await buildReadStack({ extra: ttl, ...clock });
    const env = settings.environments[0];
    await store.read(env, ['a']);
    ecsMock.on(DescribeServicesCommand).callsFake(input => ({
      services: input.services.map((n: string) =>
        serviceShape(n, input.cluster, { desiredCount: 5, runningCount: 5 }),
      ),
    }));
    await store.refresh(env, ['a']);
    expect(calls()).toBe(2);
    const read = (await store.read(env, ['a'])).get('a');
    expect(read?.state?.summary?.desiredCount).toBe(5);
    expect(calls()).toBe(2);
  });
});
