import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const PG_VAR = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * SQLite always; PostgreSQL 15 when its connection string is set (scripts/test.sh starts a
 * throwaway server and sets it). In CI a missing PostgreSQL is an error, not a silent skip.
 */
export function testDatabaseIds(): TestDatabaseId[] {
  if (process.env[PG_VAR]) {
    return ['SQLITE_3', 'POSTGRES_15'];
  }
  if (process.env.CI) {
    throw new Error(
      `${PG_VAR} is not set: run the tests through scripts/test.sh, which starts PostgreSQL`,
    );
  }
  return ['SQLITE_3'];
}

export function createTestDatabases() {
  return TestDatabases.create({ ids: testDatabaseIds(), disableDocker: true });
}
