import { ECSClient } from '@aws-sdk/client-ecs';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readEcsDeployConfig } from '../config';
import { AwsClients } from '../services/aws/AwsClients';
import { DefaultEcsReader } from '../services/aws/EcsReader';
import { ResilientCache } from '../services/ResilientCache';
import { DefaultStatusService } from '../services/status/DefaultStatusService';
import { CachedServiceStateStore } from '../services/status/ServiceStateStore';
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
  const cache = new ResilientCache(
    options.cache ??
      CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'ecs-deploy',
      ),
    logger,
  );
  const clients = new AwsClients(testCredentials as any, settings);
  const reader = new DefaultEcsReader(
    clients,
    cache,
    settings.taskDefinitionTtlMs,
  );
  const store = new CachedServiceStateStore({
    reader,
    cache,
    logger,
    settings,
  });
  const status = new DefaultStatusService({ settings, store, reader });
  return { settings, logger, cache, clients, reader, store, status };
}

export type ReadStack = ReturnType<typeof buildReadStack>;
export { ECSClient };
