import { Config } from '@backstage/config';
import { ConfigWarnings, Section } from './durations';
import {
  environmentChecker,
  readEnvironments,
  readOwnershipMappings,
} from './environments';
import { readFreezeWindows } from './freezeWindows';
import { readFollowThrough, readPromotionPaths } from './promotion';
import { readAwsSettings, readCachePolicy, readLogsConfig } from './runtime';
import type { EcsDeployConfig } from './types';

export type {
  CachePolicy,
  EcsDeployConfig,
  EnvironmentConfig,
  FollowThroughConfig,
  FreezeWindowConfig,
  LogsConfig,
  OwnershipMapping,
  PromotionPathConfig,
} from './types';

/**
 * Reads and checks `ecsDeploy.*` once at start-up, one reader per section; a wrong value stops
 * the backend with a message naming the key. Durations are Backstage HumanDurations
 * (`{ seconds: 10 }`); the older number keys with the unit in their name (`statusTtlSeconds`)
 * still work, each with a warning naming its replacement.
 *
 * @public
 */
export function readEcsDeployConfig(
  config: Config,
  options: { warnings?: ConfigWarnings } = {},
): EcsDeployConfig {
  const root = new Section(
    config.getConfig('ecsDeploy'),
    'ecsDeploy',
    options.warnings ?? { warn: () => {} },
  );
  const environments = readEnvironments(root);
  const known = environmentChecker(environments);
  const followThrough = readFollowThrough(root);
  const aws = readAwsSettings(root);
  return {
    environments,
    promotionPaths: readPromotionPaths(
      root,
      environments,
      known,
      followThrough,
    ),
    freezeWindows: readFreezeWindows(root, known),
    ownershipMappings: readOwnershipMappings(root, known),
    followThrough,
    cache: readCachePolicy(root, aws.readDeadlineMs),
    ...aws,
    logs: readLogsConfig(root),
  };
}
