import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AuditFinish, AuditStore, RecordedOutcome } from './AuditStore';
import { FollowQueue, FollowRequest } from './FollowQueue';
import { LockStore } from './LockStore';
import { DatabasePromotionRequestStore } from './PromotionRequestStore';

const migrationsDir = resolvePackagePath(
  '@deployment-portal/plugin-ecs-deploy-backend',
  'migrations',
);

/** The plugin's tables, each behind its one owner. */
export interface Stores {
  audit: AuditStore;
  follows: FollowQueue;
  locks: LockStore;
  requests: DatabasePromotionRequestStore;
  /** Finishes a started audit row and, with `follow`, enqueues its rollout: one transaction. */
  finishAction(
    auditId: string,
    patch: AuditFinish,
    follow?: FollowRequest,
  ): Promise<void>;
  /** Records a followed action's outcome (once) and stops following it: one transaction. */
  completeRollout(auditId: string, outcome: RecordedOutcome): Promise<boolean>;
}

type TableStores = Pick<Stores, 'audit' | 'follows' | 'locks' | 'requests'>;

function storesOn(db: Knex | Knex.Transaction): TableStores {
  return {
    audit: new AuditStore(db),
    follows: new FollowQueue(db),
    locks: new LockStore(db),
    requests: new DatabasePromotionRequestStore(db),
  };
}

/** Migrates the plugin's database (unless the database service says not to) and builds its stores once. */
export async function createStores(
  database: DatabaseService,
  options: { skipMigrations?: boolean } = {},
): Promise<Stores> {
  const knex = await database.getClient();
  if (!database.migrations?.skip && !options.skipMigrations) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  const transaction = <T>(fn: (tx: TableStores) => Promise<T>) =>
    knex.transaction(trx => fn(storesOn(trx)));
  return {
    ...storesOn(knex),
    finishAction: (auditId, patch, follow) =>
      transaction(async tx => {
        await tx.audit.finish(auditId, { ...patch, followed: !!follow });
        if (follow) await tx.follows.enqueue(auditId, follow);
      }),
    completeRollout: (auditId, outcome) =>
      transaction(async tx => {
        const recorded = await tx.audit.recordOutcome(auditId, outcome);
        await tx.follows.remove(auditId);
        return recorded;
      }),
  };
}
