import { LoggerService } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EcsEventConsumer } from './EcsEventConsumer';
import type { EventsHealth } from './eventsHealth';
import type { QueueClaims } from './queueClaims';
import type { EventQueue, ReceivedMessage } from './SqsEventQueue';

/** How long one run consumes before it returns to the scheduler (which runs it again at once). */
export const RUN_MS = 60_000;
/** After a failed receive, the next try waits this long, doubling up to `MAX_BACKOFF_MS`. */
const BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/**
 * Batches of one queue handled at once: the next receive does not wait for the last batch's
 * reads, so events arriving meanwhile are not queued behind it (a serial consumer's throughput
 * falls as reads slow down under load, and its backlog grows with the number of services).
 */
export const BATCHES_IN_FLIGHT = 4;

/**
 * The event queues' consumers, one per queue across replicas. Every replica's scheduler calls
 * `run` for each queue every second (a task per queue: a queue never waits for another's long
 * poll to end before its next run); the replica that holds (or takes) the queue's claim
 * long-polls it for a minute, renewing the claim before each receive, and hands each batch to the
 * consumer (up to `BATCHES_IN_FLIGHT` at once: a batch handled beside a later one for the same
 * service costs at most a second read, as the store never replaces a state with one read
 * earlier); the other replicas find the claim held and return at once. Messages are deleted only
 * once handled; those whose service could not be read stay, to be received again after the
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
      /** How long one run consumes (`RUN_MS`). */
      runMs?: number;
    },
  ) {}

  get queues(): readonly EventQueue[] {
    return this.options.queues;
  }

  /** One run over `queues` (every queue by default), each for its own minute. */
  async run(
    signal: AbortSignal,
    queues: readonly EventQueue[] = this.options.queues,
  ): Promise<void> {
    await Promise.all(queues.map(q => this.consume(q, signal)));
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
    const { claims, health, logger } = this.options;
    const until = Date.now() + (this.options.runMs ?? RUN_MS);
    const inFlight = new Set<Promise<void>>();
    let backoff = BACKOFF_MS;
    while (!signal.aborted && !this.stopped && Date.now() < until) {
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      if (!(await claims.hold(queue.name))) break;
      let messages;
      try {
        messages = await queue.receive(signal);
        await health.received(queue.name);
        backoff = BACKOFF_MS;
      } catch (error) {
        if (signal.aborted) break;
        await health.failed(queue.name, error);
        await sleep(backoff, undefined, { signal }).catch(() => {});
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      }
      if (messages.length === 0) continue;
      const handling = this.handle(queue, messages)
        .catch(error =>
          logger.warn(`ECS events of ${queue.name}: ${error}`),
        )
        .finally(() => inFlight.delete(handling));
      inFlight.add(handling);
    }
    await Promise.all(inFlight);
  }

  /** Hands one batch to the consumer and deletes what it handled. */
  private async handle(queue: EventQueue, messages: ReceivedMessage[]) {
    const { consumer, health, logger } = this.options;
    // A batch that cannot be handled comes back after the visibility timeout; the next is taken.
    const batch = await consumer.handle(messages).catch(error => {
      logger.warn(
        `ECS events: a batch of ${messages.length} message(s) of ${queue.name} could not be handled (${error}); it is received again after the visibility timeout`,
      );
      return undefined;
    });
    if (!batch) return;
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
