import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { createStores } from './stores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const request = (expiresInMs: number, entityRef = 'component:default/a') => ({
  entityRef,
  from: 'staging',
  to: 'prod',
  images: [{ container: 'app', image: 'r/a:2@sha256:abc', tag: '2' }],
  sourceTaskDefinition: 'arn:staging:2',
  targetTaskDefinition: 'arn:prod:1',
  requester: 'user:default/alice',
  reason: 'release 2',
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
});

describe.each(databases.eachSupportedId())(
  'DatabasePromotionRequestStore on %p',
  databaseId => {
    async function create() {
      const knex = await databases.init(databaseId);
      return (await createStores(mockServices.database({ knex }))).requests;
    }

    it('stores a request pending, pinned to its images, and lists newest first', async () => {
      const store = await create();
      const first = await store.insert(request(60_000));
      await new Promise(r => setTimeout(r, 5));
      const second = await store.insert(request(60_000));
      await store.insert(request(60_000, 'component:default/other'));
      expect(first).toMatchObject({ state: 'pending', reason: 'release 2' });
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.get('nope')).toBeUndefined();
      const all = await store.list('component:default/a', { limit: 10 });
      expect(all.map(r => r.id)).toEqual([second.id, first.id]);
      expect(all[0].images).toEqual([
        { container: 'app', image: 'r/a:2@sha256:abc', tag: '2' },
      ]);
    });

    it('decides a request once (compare-and-set) and filters by state', async () => {
      const store = await create();
      const r = await store.insert(request(60_000));
      const decidedAt = new Date().toISOString();
      const approve = {
        state: 'approved' as const,
        decidedBy: 'user:default/bob',
        decidedAt,
        auditId: 'audit-1',
      };
      const results = await Promise.all([
        store.transition(r.id, 'pending', approve),
        store.transition(r.id, 'pending', {
          state: 'rejected',
          decidedBy: 'user:default/carol',
        }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const decided = (await store.get(r.id))!;
      expect(['approved', 'rejected']).toContain(decided.state);
      expect(
        await store.list('component:default/a', {
          state: decided.state,
          limit: 10,
        }),
      ).toHaveLength(1);
      expect(
        await store.list('component:default/a', {
          state: 'pending',
          limit: 10,
        }),
      ).toEqual([]);
    });

    it('expires pending requests past their expiry, and only those', async () => {
      const store = await create();
      const overdue = await store.insert(request(-1_000));
      const current = await store.insert(request(60_000));
      await store.expireOverdue('component:default/a', new Date());
      expect((await store.get(overdue.id))?.state).toBe('expired');
      expect((await store.get(current.id))?.state).toBe('pending');
    });
  },
);
