import { Config } from '@backstage/config';
import { ConfigWarnings, Section } from './durations';
import {
  environmentChecker,
  readEnvironments,
  readOwnershipMappings,
} from './environments';
import { readEventsConfig, readIndexConfig } from './events';
import { readFreezeWindows } from './freezeWindows';
import { readOnboarding } from './onboarding';
import {
  readFollowThrough,
  readGateTimeout,
  readPromotionPaths,
} from './promotion';

export { withApproval } from './promotion';
import { readAwsSettings, readCachePolicy, readLogsConfig } from './runtime';
import { readPreflight, readStrategies } from './strategies';
import type { EcsDeployConfig } from './types';
import { readVerification } from './verification';

export type {
  AwsLocation,
  CachePolicy,
  EcsDeployConfig,
  EnvironmentConfig,
  EventQueueConfig,
  EventsConfig,
  IndexConfig,
  FollowThroughConfig,
  FreezeWindowConfig,
  LogsConfig,
  OnboardingConfig,
  OwnershipMapping,
  PreflightConfig,
  PromotionPathConfig,
  VerificationConfig,
  VerificationSettings,
  HttpCheckSettings,
  StrategiesConfig,
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
  const promotionPaths = readPromotionPaths(
    root,
    environments,
    known,
    followThrough,
  );
  const events = readEventsConfig(root, aws.readDeadlineMs);
  return {
    environments,
    promotionPaths,
    freezeWindows: readFreezeWindows(root, known),
    ownershipMappings: readOwnershipMappings(root, known),
    followThrough,
    cache: readCachePolicy(root, aws.readDeadlineMs),
    ...aws,
    gateTimeoutMs: readGateTimeout(root, aws.writeDeadlineMs),
    logs: readLogsConfig(root),
    onboarding: readOnboarding(root),
    verification: readVerification(root, environments, promotionPaths, known),
    events,
    index: readIndexConfig(root, events !== undefined),
    strategies: readStrategies(root),
    preflight: readPreflight(root, aws.readDeadlineMs),
  };
}
