import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AdoptionJobStore } from './AdoptionJobStore';
import { AdoptionStore } from './AdoptionStore';
import { AuditFinish, AuditStore, RecordedOutcome } from './AuditStore';
import { DeploymentGateStore } from './DeploymentGateStore';
import { FollowQueue, FollowRequest } from './FollowQueue';
import { LockStore } from './LockStore';
import { DatabasePromotionRequestStore } from './PromotionRequestStore';
import { VerificationStore } from './VerificationStore';
import type { NewVerification } from '../services/verification/types';

const migrationsDir = resolvePackagePath(
  '@deployment-portal/plugin-ecs-deploy-backend',
  'migrations',
);

/**
 * Applies the plugin's migrations; on PostgreSQL under a transaction-scoped advisory lock, so
 * replicas starting at once on an empty database migrate one after the other. (knex's own lock
 * table is created by the first migration run without a lock, and a run that finds it locked
 * fails instead of waiting: the second replica crashed on "relation knex_migrations already
 * exists".) The lock is held on one pooled connection while knex migrates on others.
 */
async function migrate(knex: Knex) {
  if (knex.client.dialect !== 'postgresql') {
    await knex.migrate.latest({ directory: migrationsDir });
    return;
  }
  await knex.transaction(async trx => {
    await trx.raw(
      `select pg_advisory_xact_lock(hashtext('ecs-deploy:migrations'))`,
    );
    await knex.migrate.latest({ directory: migrationsDir });
  });
}

/** The plugin's tables, each behind its one owner. */
export interface Stores {
  audit: AuditStore;
  follows: FollowQueue;
  locks: LockStore;
  requests: DatabasePromotionRequestStore;
  verifications: VerificationStore;
  gates: DeploymentGateStore;
  /** Adopted ECS services (its claims insert in their own transaction). */
  adoptions: AdoptionStore;
  /** Bulk adoption jobs and their per-service outcomes. */
  adoptionJobs: AdoptionJobStore;
  /**
   * Finishes a started audit row and, with `follow`, enqueues its rollout and, with `verify`,
   * starts its verification: one transaction.
   */
  finishAction(
    auditId: string,
    patch: AuditFinish,
    follow?: FollowRequest,
    verify?: NewVerification,
  ): Promise<void>;
  /** Records a followed action's outcome (once) and stops following it: one transaction. */
  completeRollout(auditId: string, outcome: RecordedOutcome): Promise<boolean>;
}

type TableStores = Pick<
  Stores,
  'audit' | 'follows' | 'locks' | 'requests' | 'gates' | 'verifications'
>;

function storesOn(db: Knex | Knex.Transaction): TableStores {
  return {
    audit: new AuditStore(db),
    follows: new FollowQueue(db),
    locks: new LockStore(db),
    requests: new DatabasePromotionRequestStore(db),
    verifications: new VerificationStore(db),
    gates: new DeploymentGateStore(db),
  };
}

/** Migrates the plugin's database (unless the database service says not to) and builds its stores once. */
export async function createStores(
  database: DatabaseService,
  options: { skipMigrations?: boolean } = {},
): Promise<Stores> {
  const knex = await database.getClient();
  if (!database.migrations?.skip && !options.skipMigrations) {
    await migrate(knex);
  }
  const transaction = <T>(fn: (tx: TableStores) => Promise<T>) =>
    knex.transaction(trx => fn(storesOn(trx)));
  return {
    ...storesOn(knex),
    adoptions: new AdoptionStore(knex),
    adoptionJobs: new AdoptionJobStore(knex),
    finishAction: (auditId, patch, follow, verify) =>
      transaction(async tx => {
        await tx.audit.finish(auditId, { ...patch, followed: !!follow });
        if (follow) await tx.follows.enqueue(auditId, follow);
        if (verify) await tx.verifications.start(verify);
      }),
    completeRollout: (auditId, outcome) =>
      transaction(async tx => {
        const recorded = await tx.audit.recordOutcome(auditId, outcome);
        await tx.follows.remove(auditId);
        return recorded;
      }),
  };
}
