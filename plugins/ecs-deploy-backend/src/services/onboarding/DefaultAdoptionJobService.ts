/*
 * Bulk adoption: an admin previews many adoptions (each one a dry run of POST /adoptions), then
 * starts one job. The job and its services are stored before anything runs; the scheduled task
 * (one replica at a time) adopts the pending services through the adoption service, as the
 * admin, so each adoption is checked and audited as a single one would be. A restart resumes the
 * pending ones; a service adopted as its component already is reported `already-adopted`, so a
 * job run twice changes nothing.
 */
import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import type {
  AdoptionJob,
  AdoptionJobError,
  AdoptionJobPreview,
  AdoptionPreviewItem,
  AdoptionJobRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type {
  AdoptionJobStore,
  ItemOutcome,
  PendingItem,
} from '../../database/AdoptionJobStore';
import type { AdoptionStore } from '../../database/AdoptionStore';
import type { Caller } from '../catalog/types';
import { decideAdopter } from './adopters';
import type { AdoptionJobService, AdoptionService } from './types';

type Parsed = Required<AdoptionJobRequest>;

/** Services adopted at once by the job runner. */
const CONCURRENCY = 4;

const errorOf = (e: unknown): AdoptionJobError =>
  isError(e)
    ? { name: e.name, message: e.message }
    : { name: 'Error', message: String(e) };

/** {@link AdoptionJobService} over the adoption service and the jobs' tables. */
export class DefaultAdoptionJobService implements AdoptionJobService {
  constructor(
    private readonly options: {
      adoptions: AdoptionService;
      jobs: AdoptionJobStore;
      adopted: AdoptionStore;
      catalog: CatalogService;
      auth: AuthService;
      auditor: AuditorService;
      adminGroups: string[];
      /** Asks the scheduled task to run now (a started job does not wait for its next run). */
      trigger?: () => Promise<void>;
      now?: () => Date;
    },
  ) {}

  async preview(request: Parsed, caller: Caller): Promise<AdoptionJobPreview> {
    await this.audited(caller, request, true, async () => {});
    const limit = pLimit(CONCURRENCY);
    const items = await Promise.all(
      request.services.map(s =>
        limit(async () => {
          try {
            const result = await this.options.adoptions.adopt(
              { ...s, dryRun: true, acceptAdopted: false },
              caller,
            );
            return { ...s, result } as AdoptionPreviewItem;
          } catch (e) {
            return { ...s, error: errorOf(e) } as AdoptionPreviewItem;
          }
        }),
      ),
    );
    const refused = items.filter(i => i.error).length;
    return {
      dryRun: true,
      items,
      counts: { ok: items.length - refused, refused },
    };
  }

  async start(request: Parsed, caller: Caller): Promise<AdoptionJob> {
    const id = randomUUID();
    await this.audited(caller, request, false, async () => {
      await this.options.jobs.create(
        { id, actor: caller.userEntityRef, createdAt: this.now() },
        request.services,
      );
      return { jobId: id };
    });
    // The job as stored, every service pending; its progress is GET's.
    const job = (await this.options.jobs.get(id))!;
    await this.options.trigger?.();
    return job;
  }

  async get(id: string, caller: Caller): Promise<AdoptionJob> {
    await this.requireAdmin(caller);
    const job = await this.options.jobs.get(id);
    if (!job) throw new NotFoundError(`No adoption job ${id}`);
    return job;
  }

  async runPending(signal?: AbortSignal): Promise<number> {
    let done = 0;
    for (;;) {
      if (signal?.aborted) return done;
      const batch = await this.options.jobs.pending(CONCURRENCY * 8);
      if (batch.length === 0) return done;
      done += await this.runBatch(batch, signal);
    }
  }

  /** Runs the services of `batch`, CONCURRENCY at a time; how many it finished. */
  private async runBatch(batch: PendingItem[], signal?: AbortSignal) {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const limit = pLimit(CONCURRENCY);
    const finished = await Promise.all(
      batch.map(item =>
        limit(async () => {
          if (signal?.aborted) return false;
          const outcome = await this.runOne(item, credentials);
          return this.options.jobs.finish(item, outcome, this.now());
        }),
      ),
    );
    for (const jobId of new Set(batch.map(i => i.jobId))) {
      await this.options.jobs.finishJobIfDone(jobId, this.now());
    }
    return finished.filter(Boolean).length;
  }

  private async runOne(
    item: PendingItem,
    credentials: Caller['credentials'],
  ): Promise<ItemOutcome> {
    const entityRef = `component:default/${item.serviceName}`;
    const rows = await Promise.all(
      item.environments.map(env =>
        this.options.adopted.get(env, item.serviceName),
      ),
    );
    if (rows.every(r => r?.entityRef === entityRef)) {
      return { status: 'already-adopted', entityRef };
    }
    try {
      // As the admin who started the job: the adoption checks (the admin still is one) and
      // audits each service as its own adoption.
      const result = await this.options.adoptions.adopt(
        {
          serviceName: item.serviceName,
          environments: item.environments,
          owner: item.owner,
          dryRun: false,
          acceptAdopted: false,
        },
        { userEntityRef: item.actor, credentials },
      );
      return { status: 'adopted', entityRef: result.entityRef };
    } catch (e) {
      return { status: 'failed', error: errorOf(e) };
    }
  }

  private async requireAdmin(caller: Caller) {
    const { catalog, auth, adminGroups } = this.options;
    const decision = await decideAdopter(
      { catalog, auth, adminGroups },
      caller.userEntityRef,
      [],
    );
    if (!decision.admin) {
      throw new NotAllowedError(
        `${
          caller.userEntityRef
        } may not adopt services in bulk: only an admin may (member of ${
          decision.memberOf.join(', ') || 'no group'
        })`,
      );
    }
  }

  /** The admin check and `fn`, as one audited event. */
  private async audited(
    caller: Caller,
    request: Parsed,
    dryRun: boolean,
    fn: () => Promise<JsonObject | void>,
  ) {
    const event = await this.options.auditor.createEvent({
      eventId: 'adopt-services',
      severityLevel: dryRun ? 'low' : 'medium',
      meta: {
        actor: caller.userEntityRef,
        dryRun,
        services: request.services.map(s => s.serviceName),
      },
    });
    try {
      await this.requireAdmin(caller);
      const meta = await fn();
      await event.success(meta ? { meta } : undefined);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }
}
