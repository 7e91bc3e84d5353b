import type {
  AdoptionJob,
  AdoptionJobError,
  AdoptionJobItem,
  AdoptionJobItemStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { Knex } from 'knex';

const JOBS = 'ecs_deploy_adoption_jobs';
const ITEMS = 'ecs_deploy_adoption_job_items';

/** A service of a job still to run. */
export interface PendingItem {
  jobId: string;
  position: number;
  actor: string;
  serviceName: string;
  environments: string[];
  owner: string;
}

/** What running one service came to. */
export interface ItemOutcome {
  status: Exclude<AdoptionJobItemStatus, 'pending'>;
  entityRef?: string;
  error?: AdoptionJobError;
}

const iso = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : new Date(v as string).toISOString();

const itemOf = (r: any): AdoptionJobItem => ({
  serviceName: r.service_name,
  environments: JSON.parse(r.environments),
  owner: r.owner,
  status: r.status,
  ...(r.entity_ref && { entityRef: r.entity_ref }),
  ...(r.error && { error: JSON.parse(r.error) }),
  ...(r.finished_at && { finishedAt: iso(r.finished_at) }),
});

/**
 * The one writer of the bulk adoption tables. A job and its services are inserted in one
 * transaction; each service's outcome is written once, from `pending`; the job is finished when
 * none is pending.
 */
export class AdoptionJobStore {
  constructor(private readonly db: Knex) {}

  async create(
    job: { id: string; actor: string; createdAt: Date },
    items: Array<
      Pick<AdoptionJobItem, 'serviceName' | 'environments' | 'owner'>
    >,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(JOBS).insert({
        id: job.id,
        actor: job.actor,
        created_at: job.createdAt,
      });
      // In chunks: SQLite binds at most 999 values per statement.
      const rows = items.map((item, position) => ({
        job_id: job.id,
        position,
        service_name: item.serviceName,
        environments: JSON.stringify(item.environments),
        owner: item.owner,
        status: 'pending',
      }));
      await tx.batchInsert(ITEMS, rows, 100);
    });
  }

  async get(id: string): Promise<AdoptionJob | undefined> {
    const job = await this.db(JOBS).where({ id }).first();
    if (!job) return undefined;
    const items = (
      await this.db(ITEMS).where({ job_id: id }).orderBy('position')
    ).map(itemOf);
    const counts = {
      pending: 0,
      adopted: 0,
      'already-adopted': 0,
      failed: 0,
    } as AdoptionJob['counts'];
    for (const item of items) counts[item.status] += 1;
    return {
      id,
      actor: job.actor,
      createdAt: iso(job.created_at)!,
      status: job.finished_at ? 'completed' : 'running',
      ...(job.finished_at && { finishedAt: iso(job.finished_at) }),
      counts,
      items,
    };
  }

  /** Up to `limit` pending services of unfinished jobs, oldest job first, in job order. */
  async pending(limit: number): Promise<PendingItem[]> {
    const rows = await this.db(`${ITEMS} as i`)
      .join(`${JOBS} as j`, 'j.id', 'i.job_id')
      .whereNull('j.finished_at')
      .andWhere('i.status', 'pending')
      .orderBy([
        { column: 'j.created_at' },
        { column: 'i.job_id' },
        { column: 'i.position' },
      ])
      .limit(limit)
      .select('i.*', 'j.actor');
    return rows.map((r: any) => ({
      jobId: r.job_id,
      position: r.position,
      actor: r.actor,
      serviceName: r.service_name,
      environments: JSON.parse(r.environments),
      owner: r.owner,
    }));
  }

  /** Writes a pending service's outcome; false when it was no longer pending. */
  async finish(
    item: Pick<PendingItem, 'jobId' | 'position'>,
    outcome: ItemOutcome,
    at: Date,
  ): Promise<boolean> {
    const updated = await this.db(ITEMS)
      .where({ job_id: item.jobId, position: item.position, status: 'pending' })
      .update({
        status: outcome.status,
        entity_ref: outcome.entityRef ?? null,
        error: outcome.error ? JSON.stringify(outcome.error) : null,
        finished_at: at,
      });
    return updated === 1;
  }

  /** Marks the job finished once none of its services is pending; true when it did. */
  async finishJobIfDone(jobId: string, at: Date): Promise<boolean> {
    const left = await this.db(ITEMS)
      .where({ job_id: jobId, status: 'pending' })
      .count({ n: '*' })
      .first();
    if (Number(left?.n ?? 0) > 0) return false;
    const updated = await this.db(JOBS)
      .where({ id: jobId })
      .whereNull('finished_at')
      .update({ finished_at: at });
    return updated === 1;
  }
}
