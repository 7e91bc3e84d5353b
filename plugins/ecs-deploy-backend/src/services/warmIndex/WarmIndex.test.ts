import { mockServices } from '@backstage/backend-test-utils';
import type { EnvironmentConfig } from '../../config';
import { WarmIndex } from './WarmIndex';

const env = (name: string, accountId: string) =>
  ({
    name,
    cluster: `${name}-cluster`,
    region: 'us-east-1',
    accountId,
  } as EnvironmentConfig);
const STAGING = env('staging', '111111111111');
const PROD = env('prod', '222222222222');
const QA = env('qa', '333333333333');

/** A pass's collaborators: ECS lists `svc-a` and `svc-b` in every cluster but `unlistable`'s. */
function index(
  environments: EnvironmentConfig[],
  refresh: (env: EnvironmentConfig, names: string[]) => Promise<void>,
  unlistable?: string,
) {
  const cache = new Map<string, unknown>();
  const logger = mockServices.logger.mock();
  const warm = new WarmIndex({
    settings: {
      environments,
      index: { enabled: true, intervalMs: 60_000, callsPerSecond: 5 },
    } as any,
    clients: {
      ecs: async (e: EnvironmentConfig) => ({
        send: async () => {
          if (e.name === unlistable)
            throw new Error('ClusterNotFoundException');
          return {
            serviceArns: ['a', 'b'].map(
              s => `arn:aws:ecs:us-east-1:${e.accountId}:service/x/svc-${s}`,
            ),
          };
        },
      }),
    } as any,
    store: {
      dueWithin: async (_e: EnvironmentConfig, names: string[]) => names,
      refresh: async (e: EnvironmentConfig, names: string[]) => {
        await refresh(e, names);
        return { failed: [] };
      },
    } as any,
    cache: {
      get: async (key: string) => cache.get(key),
      set: async (key: string, value: unknown) => void cache.set(key, value),
    } as any,
    freshness: { policy: () => ({ statusTtlMs: 10_000 }) } as any,
    pace: { take: async () => {} },
    logger,
  });
  return { warm, logger };
}

describe('WarmIndex', () => {
  it('indexes the environments side by side, not one after another', async () => {
    let prodStarted!: () => void;
    const prodRefreshing = new Promise<void>(resolve => {
      prodStarted = resolve;
    });
    const order: string[] = [];
    const { warm, logger } = index([STAGING, PROD], async (e, names) => {
      order.push(`${e.name} ${names.join(',')}`);
      if (e.name === 'prod') prodStarted();
      // Staging's refresh finishes only once prod's has begun: one after another, it never would.
      else
        await Promise.race([
          prodRefreshing,
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error('prod waited for staging')),
              5_000,
            ),
          ),
        ]);
    });
    await warm.run();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(order.sort()).toEqual(['prod svc-a,svc-b', 'staging svc-a,svc-b']);
    expect(await warm.list('prod')).toEqual(['svc-a', 'svc-b']);
  });

  it('skips an environment ECS cannot list, says so once, and indexes the others', async () => {
    const refreshed: string[] = [];
    const { warm, logger } = index(
      [STAGING, QA, PROD],
      async e => void refreshed.push(e.name),
      'qa',
    );
    await warm.run();
    await warm.run();
    expect(refreshed.sort()).toEqual(['prod', 'prod', 'staging', 'staging']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Warm index: qa (cluster qa-cluster) cannot be indexed: Error: ClusterNotFoundException',
      ),
    );
  });
});
