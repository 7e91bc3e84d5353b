import { TestCaches } from '@backstage/backend-test-utils';

const REDIS_VAR = 'BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING';

/**
 * Redis 7 when its connection string is set (scripts/test.sh starts a throwaway server with
 * scripts/redis.sh and sets it). In CI a missing Redis is an error, not a silent skip.
 */
export function createTestCaches() {
  if (!process.env[REDIS_VAR] && process.env.CI) {
    throw new Error(
      `${REDIS_VAR} is not set: run the tests through scripts/test.sh, which starts Redis`,
    );
  }
  return TestCaches.create({
    ids: process.env[REDIS_VAR] ? ['REDIS_7'] : [],
    disableDocker: true,
  });
}
