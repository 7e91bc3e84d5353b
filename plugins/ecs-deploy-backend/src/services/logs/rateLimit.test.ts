import { ConfigReader } from '@backstage/config';
import { createTestCaches } from '../../__testUtils__/caches';
import { connectSharedRedis } from '../sharedRedis';
import { createCallerRateLimit } from './rateLimit';

const caches = createTestCaches();
const settings = { readsPerMinute: 6, burst: 2 };

describe('createCallerRateLimit', () => {
  it('allows the burst, then answers 429 saying when to retry; per caller', async () => {
    const limit = createCallerRateLimit({ settings });
    await limit.take('user:default/a', 'logs');
    await limit.take('user:default/a', 'logs');
    await expect(limit.take('user:default/a', 'logs')).rejects.toMatchObject({
      statusCode: 429,
      message:
        'user:default/a read logs more than 6 times a minute; try again in 20 s',
    });
    await expect(limit.take('user:default/b', 'logs')).resolves.toBeUndefined();
  });

  (caches.supports('REDIS_7') ? describe : describe.skip)('on Redis', () => {
    it('shares the counts between replicas when the cache is Redis', async () => {
      const { connection } = await caches.init('REDIS_7');
      const closers: Array<() => Promise<void>> = [];
      const replica = () =>
        createCallerRateLimit({
          settings,
          redis: connectSharedRedis({
            config: new ConfigReader({
              backend: { cache: { store: 'redis', connection } },
            }),
            onClose: close => closers.push(close),
          }),
        });
      const [one, two] = [replica(), replica()];
      const caller = `user:default/shared-${Date.now()}`;
      try {
        await Promise.all([one.ready, two.ready]);
        await one.take(caller, 'logs');
        await two.take(caller, 'logs');
        // The burst is spent across both replicas.
        await expect(one.take(caller, 'logs')).rejects.toMatchObject({
          statusCode: 429,
        });
        await expect(two.take(caller, 'logs')).rejects.toMatchObject({
          statusCode: 429,
        });
      } finally {
        await Promise.all(closers.map(close => close()));
      }
    });
  });
});
