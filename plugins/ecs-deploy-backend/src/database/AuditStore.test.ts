import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { createStores } from './stores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const prodA = {
  environment: 'prod',
  accountId: '123456789012',
  region: 'us-east-1',
  cluster: 'test-prod',
  serviceName: 'a',
};

describe.each(databases.eachSupportedId())(
  'AuditStore and LockStore on %p',
  databaseId => {
    async function create() {
      const knex = await databases.init(databaseId);
      const stores = await createStores(mockServices.database({ knex }));
      return { knex, store: stores.audit, locks: stores.locks };
    }

    it('writes, finishes and lists audit records newest first', async () => {
      const { store } = await create();
      const base = {
        action: 'promote' as const,
        entityRef: 'component:default/a',
        actor: 'user:default/alice',
        fromEnvironment: 'staging',
        toEnvironment: 'prod',
        targetService: prodA,
        ownershipProof: 'tag' as const,
        previousImages: [{ container: 'app', image: 'r/a:1', tag: '1' }],
        newImages: [],
      };
      const first = await store.insert({
        ...base,
        result: 'denied',
        message: 'no',
      });
      await new Promise(r => setTimeout(r, 5));
      const second = await store.insert({
        ...base,
        result: 'started',
        previousTaskDefinition: 'td:1',
        reason: 'release',
      });
      await store.finish(second.id, {
        result: 'succeeded',
        newTaskDefinition: 'td:2',
        newImages: [{ container: 'app', image: 'r/a:2', tag: '2' }],
        message: 'prod now runs a:2',
      });
      await store.insert({
        ...base,
        entityRef: 'component:default/other',
        result: 'rejected',
      });

      const items = await store.list('component:default/a', [], 10);
      expect(items.map(i => i.id)).toEqual([second.id, first.id]);
      expect(items[0]).toMatchObject({
        result: 'succeeded',
        reason: 'release',
        previousTaskDefinition: 'td:1',
        newTaskDefinition: 'td:2',
        previousImages: [{ container: 'app', image: 'r/a:1', tag: '1' }],
        newImages: [{ container: 'app', image: 'r/a:2', tag: '2' }],
        message: 'prod now runs a:2',
        targetService: prodA,
        ownershipProof: 'tag',
      });
      expect(Date.parse(items[0].finishedAt!)).not.toBeNaN();
      expect(items[1]).toMatchObject({
        result: 'denied',
        message: 'no',
        finishedAt: undefined,
      });
      expect(await store.list('component:default/a', [], 1)).toHaveLength(1);

      expect((await store.findSucceededInto(prodA, 'td:2'))?.id).toBe(
        second.id,
      );
      expect(await store.findSucceededInto(prodA, 'td:1')).toBeUndefined();
      expect(
        await store.findSucceededInto(
          { ...prodA, environment: 'staging', cluster: 'test-staging' },
          'td:2',
        ),
      ).toBeUndefined();
    });

    it("lists a service's rows whatever entity acted on it", async () => {
      const { store } = await create();
      const base = {
        action: 'promote' as const,
        actor: 'user:default/carol',
        toEnvironment: 'prod',
        previousImages: [],
        newImages: [],
        result: 'denied' as const,
      };
      const hijack = await store.insert({
        ...base,
        entityRef: 'component:default/hijack',
        targetService: prodA,
      });
      const own = await store.insert({
        ...base,
        entityRef: 'component:default/a',
        targetService: prodA,
      });
      await store.insert({
        ...base,
        entityRef: 'component:default/other',
        targetService: { ...prodA, serviceName: 'other' },
      });
      await store.insert({
        ...base,
        entityRef: 'component:default/elsewhere',
        targetService: { ...prodA, accountId: '999999999999' },
      });
      const rows = await store.list('component:default/a', [prodA], 10);
      expect(rows.map(r => r.id).sort()).toEqual([hijack.id, own.id].sort());
      expect(rows.find(r => r.id === hijack.id)?.entityRef).toBe(
        'component:default/hijack',
      );
    });

    it('gives a lock to one holder at a time, releases it only for its owner, and expires it', async () => {
      const { locks } = await create();
      expect(await locks.tryLock('k', 'one', 60_000)).toBe(true);
      expect(await locks.tryLock('k', 'two', 60_000)).toBe(false);
      expect(await locks.isLocked('k')).toBe(true);
      await locks.unlock('k', 'two'); // not the owner: no effect
      expect(await locks.tryLock('k', 'two', 60_000)).toBe(false);
      await locks.unlock('k', 'one');
      expect(await locks.isLocked('k')).toBe(false);
      // A holder that crashed: its lock expires and the next one takes over.
      expect(await locks.tryLock('k', 'crashed', 50)).toBe(true);
      await new Promise(r => setTimeout(r, 120));
      expect(await locks.isLocked('k')).toBe(false);
      expect(await locks.tryLock('k', 'next', 60_000)).toBe(true);
    });

    it('lets exactly one of many simultaneous lockers win', async () => {
      const { locks } = await create();
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          locks.tryLock('race', `o${i}`, 60_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('takes many locks in one insert-if-absent, each by exactly one of racing holders', async () => {
      const { locks } = await create();
      expect(await locks.tryLock('b', 'earlier', 60_000)).toBe(true);
      const keys = ['a', 'b', 'c', 'd'];
      const taken = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          locks.tryLockAll(keys, `claimer-${i}`, 60_000),
        ),
      );
      const all = taken.flat().sort();
      // Each free key went to exactly one claimer; 'b' to none of them.
      expect(all).toEqual(['a', 'c', 'd']);
      await locks.unlock(taken.flat(), 'someone-else');
      expect(await locks.isLocked('a')).toBe(true);
      const owner = taken.findIndex(t => t.includes('a'));
      await locks.unlock(['a'], `claimer-${owner}`);
      expect(await locks.isLocked('a')).toBe(false);
    });

    it('migrates down cleanly', async () => {
      const { knex } = await create();
      await knex.migrate.rollback(
        {
          directory: require('node:path').resolve(
            __dirname,
            '../../migrations',
          ),
        },
        true,
      );
      for (const table of [
        'ecs_deploy_audit',
        'ecs_deploy_locks',
        'ecs_deploy_rollouts',
        'ecs_deploy_promotion_requests',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    });
  },
);
