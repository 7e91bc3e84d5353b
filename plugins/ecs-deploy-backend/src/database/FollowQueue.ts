import { AuditRecord } from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';
import { AUDIT_TABLE, AuditRow, fromAuditRow, toIso } from './auditRows';

const TABLE = 'ecs_deploy_rollouts';

/** What to follow after an action: the revision it rolled out and until when. */
export interface FollowRequest {
  expectedTaskDefinition: string;
  deadlineAt: Date;
  /** Roll back automatically when the rollout fails. */
  autoRollback: boolean;
}

/** A rollout being followed, with the audit row of its action. */
export interface FollowedRollout {
  audit: AuditRecord;
  expectedTaskDefinition: string;
  deadlineAt: string;
  autoRollback: boolean;
  /** `rolling-back`: the rollout failed and the automatic rollback is still to be done. */
  state: 'following' | 'rolling-back';
  attempts: number;
  lastError?: string;
}

type JoinedRow = AuditRow & {
  expected_task_definition: string;
  deadline_at: Date | string;
  auto_rollback: boolean | number;
  follow_state: string;
  attempts: number;
  last_error: string | null;
};

/**
 * The one writer of `ecs_deploy_rollouts`: the rollouts the backend follows. Any replica's
 * follower claims them (claims expire, so a replica that dies mid-check loses nothing). An action
 * is enqueued in the transaction that finishes its audit row, and removed in the one that records
 * its outcome.
 */
export class FollowQueue {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async enqueue(auditId: string, follow: FollowRequest): Promise<void> {
    await this.db(TABLE).insert({
      audit_id: auditId,
      expected_task_definition: follow.expectedTaskDefinition,
      deadline_at: follow.deadlineAt,
      auto_rollback: follow.autoRollback,
      state: 'following',
      attempts: 0,
      created_at: new Date(),
    });
  }

  /** Claims up to `limit` rollouts nobody holds (or whose claim expired), oldest first. */
  async claim(
    owner: string,
    claimMs: number,
    limit: number,
  ): Promise<FollowedRollout[]> {
    const now = new Date();
    const free = (q: Knex.QueryBuilder) =>
      q.whereNull('claimed_by').orWhere('claim_expires_at', '<', now);
    const candidates = await this.db(TABLE)
      .where(free)
      .orderBy('created_at')
      .limit(limit)
      .select('audit_id');
    const claimed: string[] = [];
    for (const { audit_id } of candidates) {
      const updated = await this.db(TABLE)
        .where('audit_id', audit_id)
        .andWhere(free)
        .update({
          claimed_by: owner,
          claim_expires_at: new Date(now.getTime() + claimMs),
        });
      if (updated === 1) claimed.push(audit_id);
    }
    if (claimed.length === 0) return [];
    const rows: JoinedRow[] = await this.db(`${TABLE} as r`)
      .join(`${AUDIT_TABLE} as a`, 'a.id', 'r.audit_id')
      .whereIn('r.audit_id', claimed)
      .andWhere('r.claimed_by', owner)
      .orderBy('r.created_at')
      .select(
        'a.*',
        'r.expected_task_definition',
        'r.deadline_at',
        'r.auto_rollback',
        'r.state as follow_state',
        'r.attempts',
        'r.last_error',
      );
    return rows.map(row => ({
      audit: fromAuditRow(row),
      expectedTaskDefinition: row.expected_task_definition,
      deadlineAt: toIso(row.deadline_at)!,
      autoRollback: Boolean(row.auto_rollback),
      state: row.follow_state as FollowedRollout['state'],
      attempts: row.attempts,
      lastError: row.last_error ?? undefined,
    }));
  }

  /** Gives a claimed rollout back, still followed, with what the follower learnt. */
  async release(
    auditId: string,
    owner: string,
    patch: Partial<
      Pick<FollowedRollout, 'state' | 'attempts' | 'lastError'>
    > = {},
  ): Promise<void> {
    await this.db(TABLE)
      .where({ audit_id: auditId, claimed_by: owner })
      .update({
        claimed_by: null,
        claim_expires_at: null,
        ...(patch.state && { state: patch.state }),
        ...(patch.attempts !== undefined && { attempts: patch.attempts }),
        ...(patch.lastError !== undefined && { last_error: patch.lastError }),
      });
  }

  /** Stops following an action. */
  async remove(auditId: string): Promise<void> {
    await this.db(TABLE).where({ audit_id: auditId }).delete();
  }
}
