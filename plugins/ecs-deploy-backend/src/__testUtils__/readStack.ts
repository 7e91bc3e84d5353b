import { ECSClient } from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory from 'knex';
import type { LockStore } from '../database/LockStore';
import { createStores } from '../database/stores';
import { readEcsDeployConfig } from '../config';
import { createReadPath } from '../services/readPath';
import { ecsDeployTestConfig } from './ecsFixtures';

/** Credentials that never leave the process (the SDK is mocked or points at the emulator). */
export const testCredentials = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    }),
  }),
};

/** The plugin's stores on an in-memory SQLite database (migrated). */
export async function memoryStores() {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  return createStores(mockServices.database({ knex }));
}

/**
 * The read path as plugin.ts wires it (clients, reader, cache layer, status service) on an
 * in-memory cache, for an endpoint (`http://ecs.invalid` with a mocked SDK, or the emulator).
 */
export async function buildReadStack(
  options: {
    endpoint?: string;
    extra?: object;
    cache?: ReturnType<CacheManager['forPlugin']>;
    /** Shared by the read stacks of one test's replicas (refresh claims). */
    locks?: LockStore;
    /** The cache's clock. */
    now?: () => number;
  } = {},
) {
  const settings = readEcsDeployConfig(
    new ConfigReader(
      ecsDeployTestConfig(options.endpoint ?? 'http://ecs.invalid', {
        aws: { maxAttempts: 1 },
        ...options.extra,
      }),
    ),
  );
  const logger = mockServices.logger.mock();
  const stores = await memoryStores();
  const path = createReadPath({
    settings,
    credentials: testCredentials as any,
    cache:
      options.cache ??
      CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
    locks: options.locks ?? stores.locks,
    gates: stores.gates,
    logger,
    now: options.now,
  });
  return { settings, logger, ...path };
}

export type ReadStack = Awaited<ReturnType<typeof buildReadStack>>;
export { ECSClient };
