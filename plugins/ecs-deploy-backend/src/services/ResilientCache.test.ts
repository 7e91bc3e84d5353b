import { mockServices } from '@backstage/backend-test-utils';
import { CacheService } from '@backstage/backend-plugin-api';
import { ResilientCache } from './ResilientCache';

function store() {
  let down = false;
  const data = new Map<string, any>();
  const fail = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  };
  const cache: CacheService = {
    get: jest.fn(async (k: string) => (down ? fail() : data.get(k))) as any,
    set: jest.fn(async (k: string, v: any) =>
      down ? fail() : void data.set(k, v),
    ) as any,
    delete: jest.fn(async (k: string) =>
      down ? fail() : void data.delete(k),
    ) as any,
    withOptions: () => cache,
  };
  return { cache, setDown: (d: boolean) => (down = d) };
}

describe('ResilientCache', () => {
  it('passes through while the store works', async () => {
    const { cache } = store();
    const r = new ResilientCache(cache, mockServices.logger.mock());
    await r.set('k', { a: 1 });
    expect(await r.get('k')).toEqual({ a: 1 });
    await r.delete('k');
    expect(await r.get('k')).toBeUndefined();
  });

  it('misses, skips and logs once while the store is down, probes it now and then, and says when it is back', async () => {
    const { cache, setDown } = store();
    const logger = mockServices.logger.mock();
    let now = 0;
    const r = new ResilientCache(
      cache,
      logger,
      undefined,
      undefined,
      () => now,
    );
    await r.set('k', 1);
    setDown(true);
    now += 3_000; // the last success is older than an operation may take
    expect(await r.get('k')).toBeUndefined();
    await r.set('k', 2);
    await r.delete('k');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /Cache store unavailable, reading ECS directly.*ECONNREFUSED/,
    );
    // Within the retry interval the store is not asked at all.
    expect(cache.get).toHaveBeenCalledTimes(1);
    now += 6_000;
    setDown(false);
    expect(await r.get('k')).toBe(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Cache store is back; status is cached again',
    );
  });

  it('takes failures while other operations succeed for a busy store, not an outage', async () => {
    const { cache, setDown } = store();
    const logger = mockServices.logger.mock();
    const r = new ResilientCache(
      cache,
      logger,
      undefined,
      undefined,
      () => 1_000,
    );
    await r.set('k', 1);
    setDown(true);
    expect(await r.get('k')).toBeUndefined();
    setDown(false);
    expect(await r.get('k')).toBe(1); // asked again at once: never marked down
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('treats a store that does not answer as down, without stalling the caller', async () => {
    const cache: CacheService = {
      get: jest.fn(() => new Promise(() => {})) as any,
      set: jest.fn(() => new Promise(() => {})) as any,
      delete: jest.fn(() => new Promise(() => {})) as any,
      withOptions: () => cache,
    };
    const r = new ResilientCache(cache, mockServices.logger.mock());
    const started = Date.now();
    expect(await r.get('k')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await r.get('k')).toBeUndefined(); // skipped at once
    expect(cache.get).toHaveBeenCalledTimes(1);
  });
});
