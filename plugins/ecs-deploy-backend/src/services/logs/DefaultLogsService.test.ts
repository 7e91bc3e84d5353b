/*
 * The logs service with CloudWatch faked: what AWS trouble, a refused filter pattern, a missing
 * group and a caller reading too often become (the emulator cannot produce these).
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readEcsDeployConfig } from '../../config';
import {
  component,
  ecsDeployTestConfig,
} from '../../__testUtils__/ecsFixtures';
import type { EcsReader } from '../aws/types';
import type { LogReader } from './types';
import type { ServiceStateStore } from '../status/types';
import { DefaultLogsService } from './DefaultLogsService';

const entity = component('payments-api');
const caller = {
  credentials: mockCredentials.user('user:default/alice'),
  userEntityRef: 'user:default/alice',
};
const NOW = Date.parse('2026-11-30T12:00:00Z');

function service(logs: Partial<LogReader>, extra: object = {}) {
  const settings = readEcsDeployConfig(
    new ConfigReader(
      ecsDeployTestConfig('http://ecs.invalid', {
        aws: { readDeadline: { milliseconds: 300 } },
        ...extra,
      }),
    ),
  );
  const store: ServiceStateStore = {
    read: async (_env, names) =>
      new Map(
        names.map(name => [
          name,
          {
            state: {
              summary: {} as any,
              logTargets: [
                {
                  container: 'app',
                  group: `/ecs/staging/${name}`,
                  region: 'us-east-1',
                  streamPrefix: 'ecs',
                },
              ],
              fetchedAt: new Date(NOW).toISOString(),
            },
          },
        ]),
      ),
    refresh: async () => ({ changed: [], failed: [] }),
    dueWithin: async () => [],
    preload: async () => 0,
    forget: () => {},
    invalidate: async () => {},
  };
  const events: string[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async () => ({
      success: async () => {
        events.push('success');
      },
      fail: async ({ error }) => {
        events.push(`fail: ${error.name}`);
      },
    }),
  });
  const logsService = new DefaultLogsService({
    settings,
    store,
    reader: {} as EcsReader,
    logs: {
      logGroupCreatedAt: async () => NOW - 3600_000,
      filterPage: async () => ({ events: [] }),
      ...logs,
    },
    permissions: mockServices.permissions.mock({
      authorize: async () => [{ result: AuthorizeResult.ALLOW }],
    }),
    auditor,
    now: () => NOW,
  });
  const read = (query: object = {}) =>
    logsService.read(entity, { environment: 'staging', ...query }, caller);
  return { read, events };
}

describe('DefaultLogsService', () => {
  it('refuses a filter pattern CloudWatch refuses with a 400 naming it', async () => {
    const { read, events } = service({
      filterPage: async () => {
        throw Object.assign(new Error('Invalid filter pattern'), {
          name: 'InvalidParameterException',
        });
      },
    });
    await expect(read({ filter: '{ $.x = ' })).rejects.toMatchObject({
      name: 'InputError',
      message: 'Invalid filter pattern "{ $.x = ": Invalid filter pattern',
    });
    expect(events).toEqual(['fail: InputError']);
  });

  it('answers a missing log group as the environment error', async () => {
    const { read } = service({ logGroupCreatedAt: async () => undefined });
    await expect(read()).resolves.toMatchObject({
      environment: 'staging',
      logGroup: '/ecs/staging/payments-api',
      lines: [],
      error: {
        name: 'LogGroupNotFound',
        message: expect.stringMatching(
          /^Log group \/ecs\/staging\/payments-api does not exist in staging \(us-east-1, account 123456789012\)/,
        ),
      },
    });
  });

  it('answers CloudWatch being unavailable or too slow as the environment error', async () => {
    const throttled = service({
      filterPage: async () => {
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 500 },
        });
      },
    });
    expect((await throttled.read()).error?.message).toMatch(
      /^CloudWatch Logs for staging .* is unavailable: HTTP 500/,
    );
    const hanging = service({ filterPage: () => new Promise(() => {}) });
    const started = Date.now();
    const slow = await hanging.read();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(slow.error).toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(
        /^CloudWatch Logs in staging .* did not answer in time/,
      ),
    });
  });

  it('bounds reads per caller with a 429 saying when to retry', async () => {
    const { read, events } = service(
      {},
      { logs: { burst: 2, readsPerMinute: 6 } },
    );
    await read();
    await read();
    await expect(read()).rejects.toMatchObject({
      statusCode: 429,
      message:
        // 2 reads (the burst) per 20 s: 6 a minute.
        'user:default/alice read logs more than 6 times a minute; try again in 20 s',
    });
    expect(events).toEqual([
      'success',
      'success',
      'fail: TooManyRequestsError',
    ]);
  });
});
