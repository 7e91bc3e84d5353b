import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import type { StatusUpdates } from '@deployment-portal/plugin-ecs-deploy-common';
import type { CachePolicy, EventsConfig } from '../../config';

/** A queue as its consumer last saw it. */
interface QueueState {
  ok: boolean;
  /** When the consumer last received (or failed to); an old heartbeat means nobody consumes. */
  at: number;
  error?: string;
}

/** Changes the safety net found that no event had reported. */
interface Missed {
  at: number;
  message: string;
}

interface Snapshot {
  queues: Record<string, QueueState | undefined>;
  missed?: Missed;
  /** When the consumer last applied an event: after `missed.at`, events flow again. */
  appliedAt?: number;
  readAt: number;
}

/** How often a replica reads the shared health. */
const REFRESH_MS = 2_000;
const ttl = { ttl: 24 * 3_600_000 };

/**
 * Whether ECS events keep the statuses current, as every replica sees it: the queue consumers
 * (on whichever replica holds each queue) write each queue's state after every receive, and any
 * replica that finds a change no event reported writes that; each replica reads them back every
 * few seconds. Events are live while every queue was received from lately without error and no
 * unreported change has been found since the last applied event; otherwise statuses fall back to
 * polling. Each change of a queue's state, and each first unreported change, is logged once
 * (by the replica that saw it).
 */
export class EventsHealth {
  private snapshot: Snapshot = { queues: {}, readAt: 0 };
  private reading?: Promise<void>;

  constructor(
    private readonly options: {
      cache: CacheService;
      config: EventsConfig;
      cachePolicy: Pick<CachePolicy, 'statusTtlMs'>;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private queueNames() {
    return this.options.config.queues.map(q => q.queueUrl.split('/').pop()!);
  }

  /** Reads the shared state again (at most every few seconds; `force` now). */
  async refresh(force = false): Promise<void> {
    if (!force && this.now() - this.snapshot.readAt < REFRESH_MS) return;
    this.reading ??= (async () => {
      const { cache } = this.options;
      const names = this.queueNames();
      const [queues, missed, appliedAt] = await Promise.all([
        Promise.all(names.map(n => cache.get(`events:queue:${n}`))),
        cache.get('events:missed'),
        cache.get('events:applied-at'),
      ]);
      this.snapshot = {
        queues: Object.fromEntries(
          names.map((n, i) => [n, queues[i] as QueueState | undefined]),
        ),
        missed: missed as Missed | undefined,
        appliedAt: appliedAt as number | undefined,
        readAt: this.now(),
      };
    })().finally(() => {
      this.reading = undefined;
    });
    await this.reading;
  }

  /** Why events are not live now, or undefined while they are. */
  private degraded(): string | undefined {
    this.refresh().catch(() => {}); // behind the answer: callers never wait for it
    const { queues, missed, appliedAt } = this.snapshot;
    const { waitTimeSeconds, claimTtlMs } = this.options.config;
    const stale = this.now() - (claimTtlMs + waitTimeSeconds * 1000);
    for (const name of this.queueNames()) {
      const queue = queues[name];
      if (!queue || queue.at < stale) {
        return `no replica has received from the queue ${name} lately`;
      }
      if (!queue.ok) return `the queue ${name} cannot be read: ${queue.error}`;
    }
    if (missed && !(appliedAt && appliedAt > missed.at)) return missed.message;
    return undefined;
  }

  live(): boolean {
    return this.degraded() === undefined;
  }

  async updates(): Promise<StatusUpdates> {
    await this.refresh();
    const degraded = this.degraded();
    const ms = degraded
      ? this.options.cachePolicy.statusTtlMs
      : this.options.config.statusTtlMs;
    return {
      source: degraded ? 'polling' : 'events',
      refreshSeconds: Math.round(ms / 1000),
      ...(degraded && { degraded }),
    };
  }

  /** The consumer of `queue` received from it (with or without messages). */
  received(queue: string): Promise<void> {
    return this.setQueue(queue, { ok: true, at: this.now() });
  }

  /** The consumer of `queue` could not receive from it or delete from it. */
  failed(queue: string, error: unknown): Promise<void> {
    const e = error as { name?: string; message?: string };
    const text = `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`.slice(
      0,
      300,
    );
    return this.setQueue(queue, { ok: false, at: this.now(), error: text });
  }

  /** The consumer applied events: they flow (again). */
  async applied(): Promise<void> {
    await this.options.cache.set('events:applied-at', this.now(), ttl);
  }

  /** The safety net found changes no event reported (EventBridge rules missing or disabled?). */
  async missed(example: string, count: number): Promise<void> {
    const { cache, logger } = this.options;
    const previous = (await cache.get('events:missed')) as Missed | undefined;
    const appliedAt = (await cache.get('events:applied-at')) as
      | number
      | undefined;
    const message = `${count} change(s) reached ECS without an ECS event (e.g. ${example}): are the EventBridge rules of portal-events in place and enabled?`;
    await cache.set('events:missed', { at: this.now(), message }, ttl);
    if (!previous || (appliedAt && appliedAt > previous.at)) {
      logger.warn(
        `ECS events: ${message} Statuses fall back to polling every ${Math.round(
          this.options.cachePolicy.statusTtlMs / 1000,
        )} s until events arrive again.`,
      );
    }
  }

  private async setQueue(queue: string, state: QueueState) {
    const { cache, logger } = this.options;
    const key = `events:queue:${queue}`;
    const previous = (await cache.get(key)) as QueueState | undefined;
    await cache.set(key, state as any, ttl);
    if (state.ok && previous && !previous.ok) {
      logger.info(`ECS events: the queue ${queue} can be read again`);
    } else if (!state.ok && previous?.ok !== false) {
      logger.warn(
        `ECS events unavailable: the queue ${queue} cannot be read (${
          state.error
        }); statuses fall back to polling every ${Math.round(
          this.options.cachePolicy.statusTtlMs / 1000,
        )} s until it can`,
      );
    }
  }
}
