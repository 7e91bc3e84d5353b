import { ECSClient } from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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

/**
 * The read path as plugin.ts wires it (clients, reader, cache layer, status service) on an
 * in-memory cache, for an endpoint (`http://ecs.invalid` with a mocked SDK, or the emulator).
 */
export function buildReadStack(
  options: {
    endpoint?: string;
    extra?: object;
    cache?: ReturnType<CacheManager['forPlugin']>;
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
  const path = createReadPath({
    settings,
    credentials: testCredentials as any,
    cache:
      options.cache ??
      CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
    logger,
  });
  return { settings, logger, ...path };
}

export type ReadStack = ReturnType<typeof buildReadStack>;
export { ECSClient };
