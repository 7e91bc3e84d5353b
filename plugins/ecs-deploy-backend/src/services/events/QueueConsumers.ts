import { LoggerService } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EcsEventConsumer } from './EcsEventConsumer';
import type { EventsHealth } from './eventsHealth';
import type { QueueClaims } from './queueClaims';
import type { EventQueue } from './SqsEventQueue';

/** How long one run consumes before it returns to the scheduler (which runs it again at once). */
export const RUN_MS = 60_000;
/** After a failed receive, the next try waits this long, doubling up to `MAX_BACKOFF_MS`. */
const BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The event queues' consumers, one per queue across replicas. Every replica's scheduler calls
 * `run` every second; for each queue, the replica that holds (or takes) its claim long-polls it
 * for a minute, renewing the claim before each receive, and hands each batch to the consumer;
 * the other replicas find the claim held and return at once. Messages are deleted only once
 * handled; those whose service could not be read stay, to be received again after the
 * visibility timeout (by whichever replica consumes then). A failing queue is retried with
 * back-off and reported to the health (statuses fall back to polling meanwhile).
 */
export class QueueConsumers {
  /** Set at shutdown: no claim is taken or renewed after it. */
  private stopped = false;

  constructor(
    private readonly options: {
      queues: EventQueue[];
      consumer: EcsEventConsumer;
      claims: QueueClaims;
      health: EventsHealth;
      logger: LoggerService;
    },
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.options.queues.map(q => this.consume(q, signal)));
  }

  /** Gives every claim up (shutdown), so another replica consumes at once. */
  async release(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.options.queues.map(q =>
        this.options.claims.release(q.name).catch(() => {}),
      ),
    );
  }

  private async consume(queue: EventQueue, signal: AbortSignal) {
    const { claims, consumer, health, logger } = this.options;
    const until = Date.now() + RUN_MS;
    let backoff = BACKOFF_MS;
    while (!signal.aborted && !this.stopped && Date.now() < until) {
      if (!(await claims.hold(queue.name))) return;
      let messages;
      try {
        messages = await queue.receive(signal);
        await health.received(queue.name);
        backoff = BACKOFF_MS;
      } catch (error) {
        if (signal.aborted) return;
        await health.failed(queue.name, error);
        await sleep(backoff, undefined, { signal }).catch(() => {});
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      if (messages.length === 0) continue;
      // A batch that cannot be handled comes back after the visibility timeout; the next is taken.
      const batch = await consumer.handle(messages).catch(error => {
        logger.warn(
          `ECS events: a batch of ${messages.length} message(s) of ${queue.name} could not be handled (${error}); it is received again after the visibility timeout`,
        );
        return undefined;
      });
      if (!batch) continue;
      if (batch.done.length > 0) {
        const kept = await queue.delete(batch.done).catch(async error => {
          await health.failed(queue.name, error);
          return batch.done.map(m => m.id);
        });
        if (kept.length > 0) {
          logger.warn(
            `ECS events: ${kept.length} handled message(s) of ${queue.name} could not be deleted; they are handled again (no effect) when they return`,
          );
        }
      }
      if (batch.applied > 0) await health.applied();
      logger.debug(
        `ECS events of ${queue.name}: ${messages.length} message(s), ${batch.applied} applied, ${batch.read} service(s) read, ${batch.changed} changed, ${batch.retry.length} left for a retry`,
      );
    }
  }
}
