import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { EcsDeployConfig } from '../config';
import { AwsClients } from './aws/AwsClients';
import { DefaultEcsReader } from './aws/EcsReader';
import { ResilientCache } from './ResilientCache';
import { DefaultStatusService } from './status/DefaultStatusService';
import { CachedServiceStateStore } from './status/ServiceStateStore';

/**
 * The read path as one piece: AWS clients, the batched reader, the one status cache (over a
 * cache service that never fails its caller) and the status views. plugin.ts and the tests build
 * it the same way.
 */
export function createReadPath(options: {
  settings: EcsDeployConfig;
  credentials: AwsCredentialsManager;
  cache: CacheService;
  logger: LoggerService;
}) {
  const { settings, logger } = options;
  const cache = new ResilientCache(options.cache, logger);
  const clients = new AwsClients(options.credentials, settings);
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
  return { cache, clients, reader, store, status };
}
