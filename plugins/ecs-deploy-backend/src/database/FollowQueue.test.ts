import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { createStores, Stores } from './stores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const prodA = {
  environment: 'prod',
  accountId: '123456789012',
  region: 'us-east-1',
  cluster: 'test-prod',
  serviceName: 'a',
};
const follow = (deadlineInMs = 60_000) => ({
  expectedTaskDefinition: 'td:2',
  deadlineAt: new Date(Date.now() + deadlineInMs),
  autoRollback: true,
});

describe.each(databases.eachSupportedId())(
  'FollowQueue with AuditStore on %p',
  databaseId => {
    async function create() {
      const knex = await databases.init(databaseId);
      const stores = await createStores(mockServices.database({ knex }));
      return { knex, stores, audit: stores.audit, rollouts: stores.follows };
    }

    /** A promotion whose write succeeded (or had an unknown result) and is followed. */
    async function followed(
      stores: Stores,
      result: 'succeeded' | 'unknown' = 'succeeded',
    ) {
      const row = await stores.audit.insert({
        action: 'promote',
        entityRef: 'component:default/a',
        actor: 'user:default/alice',
        fromEnvironment: 'staging',
        toEnvironment: 'prod',
        targetService: prodA,
        previousTaskDefinition: 'td:1',
        previousImages: [],
        newImages: [],
        result: 'started',
      });
      await stores.finishAction(
        row.id,
        { result, newTaskDefinition: 'td:2', message: 'prod now runs a:2' },
        follow(),
      );
      return row;
    }

    it('follows a finished action: in progress until its outcome, with the duration from the click', async () => {
      const { stores, audit, rollouts } = await create();
      const row = await followed(stores);
      const [listed] = await audit.list('component:default/a', [], 5);
      expect(listed.outcome).toBe('in-progress');

      const [claimed] = await rollouts.claim('replica-a', 60_000, 10);
      expect(claimed).toMatchObject({
        expectedTaskDefinition: 'td:2',
        autoRollback: true,
        state: 'following',
        attempts: 0,
        audit: {
          id: row.id,
          result: 'succeeded',
          previousTaskDefinition: 'td:1',
          targetService: prodA,
        },
      });
      const at = new Date(Date.parse(row.createdAt) + 12_345);
      expect(
        await stores.completeRollout(row.id, {
          outcome: 'rolled-out',
          message: 'prod runs a-prod:2, 2 of 2 tasks',
          at,
        }),
      ).toBe(true);
      // Recorded once: a second recorder (another replica) is told it was too late.
      expect(
        await stores.completeRollout(row.id, {
          outcome: 'failed',
          message: 'late',
          at,
        }),
      ).toBe(false);
      const [done] = await audit.list('component:default/a', [], 5);
      expect(done).toMatchObject({
        outcome: 'rolled-out',
        outcomeAt: at.toISOString(),
        outcomeMessage: 'prod runs a-prod:2, 2 of 2 tasks',
        durationMs: 12_345,
        result: 'succeeded',
      });
      expect(await rollouts.claim('replica-a', 60_000, 10)).toEqual([]);
    });

    it('gives each rollout to one claimer until it is released or its claim expires', async () => {
      const { stores, rollouts } = await create();
      const row = await followed(stores);
      const [a, b] = await Promise.all([
        rollouts.claim('replica-a', 60_000, 10),
        rollouts.claim('replica-b', 60_000, 10),
      ]);
      expect(a.length + b.length).toBe(1);
      const holder = a.length ? 'replica-a' : 'replica-b';
      await rollouts.release(row.id, 'someone-else', { attempts: 9 });
      expect(await rollouts.claim('replica-c', 60_000, 10)).toEqual([]);
      await rollouts.release(row.id, holder, {
        state: 'rolling-back',
        attempts: 1,
        lastError: 'in flight',
      });
      const [again] = await rollouts.claim('replica-c', 50, 10);
      expect(again).toMatchObject({
        state: 'rolling-back',
        attempts: 1,
        lastError: 'in flight',
      });
      // replica-c dies holding it: the claim expires and replica-d takes over.
      await new Promise(r => setTimeout(r, 120));
      expect(
        (await rollouts.claim('replica-d', 60_000, 10)).map(r => r.audit.id),
      ).toEqual([row.id]);
    });

    it('settles an unknown write once AWS is seen to apply it, and can record it failed', async () => {
      const { stores, audit } = await create();
      const applied = await followed(stores, 'unknown');
      const lost = await followed(stores, 'unknown');
      await audit.settleUnknown(applied.id, 'AWS applied the update');
      await stores.completeRollout(lost.id, {
        outcome: 'failed',
        message: 'AWS did not apply the update',
        at: new Date(),
        result: 'failed',
      });
      const rows = await audit.list('component:default/a', [], 5);
      expect(rows.find(r => r.id === applied.id)).toMatchObject({
        result: 'succeeded',
        message: 'AWS applied the update',
        outcome: 'in-progress',
      });
      expect(rows.find(r => r.id === lost.id)).toMatchObject({
        result: 'failed',
        outcome: 'failed',
        message: 'AWS did not apply the update',
      });
    });

    it('finds the automatic rollback that answers a failed action', async () => {
      const { stores, audit } = await create();
      const failed = await followed(stores);
      expect(await audit.findCausedBy(failed.id)).toBeUndefined();
      // A rollback that failed does not answer it: the follower tries again.
      await audit.insert({
        action: 'rollback',
        entityRef: 'component:default/a',
        actor: 'system',
        toEnvironment: 'prod',
        targetService: prodA,
        previousImages: [],
        newImages: [],
        result: 'failed',
        causedBy: failed.id,
        reason: 'the promotion failed',
      });
      expect(await audit.findCausedBy(failed.id)).toBeUndefined();
      const rollback = await audit.insert({
        action: 'rollback',
        entityRef: 'component:default/a',
        actor: 'system',
        toEnvironment: 'prod',
        targetService: prodA,
        previousImages: [],
        newImages: [],
        result: 'started',
        causedBy: failed.id,
        reason: 'the promotion failed',
      });
      expect(await audit.findCausedBy(failed.id)).toMatchObject({
        id: rollback.id,
        actor: 'system',
        causedBy: failed.id,
      });
    });
  },
);
