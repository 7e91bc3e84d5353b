import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseEcsDeployStore } from './EcsDeployStore';
import { DatabaseRolloutStore } from './RolloutStore';

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
  'DatabaseRolloutStore on %p',
  databaseId => {
    async function create() {
      const knex = await databases.init(databaseId);
      const audit = await DatabaseEcsDeployStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, audit, rollouts: new DatabaseRolloutStore(knex) };
    }

    /** A promotion whose write succeeded (or had an unknown result) and is followed. */
    async function followed(
      audit: DatabaseEcsDeployStore,
      result: 'succeeded' | 'unknown' = 'succeeded',
    ) {
      const row = await audit.insertAudit({
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
      await audit.finishAudit(
        row.id,
        { result, newTaskDefinition: 'td:2', message: 'prod now runs a:2' },
        follow(),
      );
      return row;
    }

    it('follows a finished action: in progress until its outcome, with the duration from the click', async () => {
      const { audit, rollouts } = await create();
      const row = await followed(audit);
      const [listed] = await audit.listAudit('component:default/a', [], 5);
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
        await rollouts.complete(row.id, {
          outcome: 'rolled-out',
          message: 'prod runs a-prod:2, 2 of 2 tasks',
          at,
        }),
      ).toBe(true);
      // Recorded once: a second recorder (another replica) is told it was too late.
      expect(
        await rollouts.complete(row.id, {
          outcome: 'failed',
          message: 'late',
          at,
        }),
      ).toBe(false);
      const [done] = await audit.listAudit('component:default/a', [], 5);
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
      const { audit, rollouts } = await create();
      const row = await followed(audit);
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
      const { audit, rollouts } = await create();
      const applied = await followed(audit, 'unknown');
      const lost = await followed(audit, 'unknown');
      await rollouts.settleWrite(applied.id, 'AWS applied the update');
      await rollouts.complete(lost.id, {
        outcome: 'failed',
        message: 'AWS did not apply the update',
        at: new Date(),
        result: 'failed',
      });
      const rows = await audit.listAudit('component:default/a', [], 5);
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
      const { audit } = await create();
      const failed = await followed(audit);
      expect(await audit.findCausedBy(failed.id)).toBeUndefined();
      const rollback = await audit.insertAudit({
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
