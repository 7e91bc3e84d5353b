import { LoggerService } from '@backstage/backend-plugin-api';
import type { EnvironmentConfig } from '../../config';
import type { ServiceState, ServiceStateStore } from '../status/types';
import { EventMarks, unapplied } from './eventMarks';
import { EcsEvent, environmentOf, parseEcsEvent } from './parseEvent';
import type { ReceivedMessage } from './SqsEventQueue';

/** How far ahead of this clock an event's time may be (clocks differ a little). */
const MAX_AHEAD_MS = 5 * 60_000;

/** What became of one batch of messages. */
export interface HandledBatch {
  /** Handled (stored, late, duplicate or not about a configured service): to delete. */
  done: ReceivedMessage[];
  /** ECS could not be read for their service: left in the queue, received again later. */
  retry: ReceivedMessage[];
  /** Services read from ECS, and those whose state changed. */
  read: number;
  changed: number;
  /** Events applied (not late, not duplicates); the latest one's time. */
  applied: number;
  latestEventAt?: number;
}

/** One service's events in a batch, with the messages that carried them. */
interface ServiceEvents {
  env: EnvironmentConfig;
  service: string;
  events: EcsEvent[];
  messages: ReceivedMessage[];
}

/** A service at rest: one deployment, completed, every task running. */
function steady(state: ServiceState | undefined): boolean {
  const s = state?.summary;
  return (
    !!s &&
    s.deployments.length === 1 &&
    (s.rolloutState ?? 'COMPLETED') === 'COMPLETED' &&
    s.runningCount === s.desiredCount &&
    s.pendingCount === 0
  );
}

/**
 * Turns a batch of ECS events into fresh status entries: events grouped per service (a burst
 * for one service is one read), late and repeated events dropped by the service's mark (ordered
 * by event time, idempotent), one read per service through the status store, which stores it
 * unless a later read is stored already and announces what changed (signals to open pages). A
 * SERVICE_STEADY_STATE (sent again periodically) costs no read when the status already shows
 * the service at rest. The marks move only after the state is stored; messages are deleted only
 * after that (at-least-once: a consumer dying mid-batch leaves them to the next).
 */
export class EcsEventConsumer {
  constructor(
    private readonly options: {
      environments: EnvironmentConfig[];
      store: ServiceStateStore;
      marks: EventMarks;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  /** The environment of a message's event, or why it is dropped (deleted without a read). */
  private classify(
    body: string,
  ): { event: EcsEvent; env: EnvironmentConfig } | { ignored: string } {
    const event = parseEcsEvent(body);
    if ('ignored' in event) return event;
    const env = environmentOf(this.options.environments, event);
    if (!env) {
      return {
        ignored: `cluster ${event.cluster} of ${event.account}/${event.region} is no environment`,
      };
    }
    // Applied, it would make every real event of the service look late until that time.
    const now = this.options.now?.() ?? Date.now();
    if (event.time > now + MAX_AHEAD_MS) {
      return {
        ignored: `its time ${new Date(
          event.time,
        ).toISOString()} is in the future`,
      };
    }
    return { event, env };
  }

  async handle(messages: ReceivedMessage[]): Promise<HandledBatch> {
    const done: ReceivedMessage[] = [];
    const groups = new Map<string, ServiceEvents>();
    for (const message of messages) {
      const found = this.classify(message.body);
      if ('ignored' in found) {
        this.options.logger.debug(
          `ECS event ${message.id} ignored: ${found.ignored}`,
        );
        done.push(message);
        continue;
      }
      const { event, env } = found;
      const key = `${env.name}/${event.service}`;
      const group = groups.get(key) ?? {
        env,
        service: event.service,
        events: [],
        messages: [],
      };
      group.events.push(event);
      group.messages.push(message);
      groups.set(key, group);
    }
    const outcome = await this.apply([...groups.values()]);
    return { ...outcome, done: [...done, ...outcome.done] };
  }

  private async apply(groups: ServiceEvents[]): Promise<HandledBatch> {
    const { store, marks } = this.options;
    const result: HandledBatch = {
      done: [],
      retry: [],
      read: 0,
      changed: 0,
      applied: 0,
    };
    const pending = await Promise.all(
      groups.map(async g => ({
        ...g,
        events: unapplied(await marks.get(g.env, g.service), g.events),
      })),
    );
    const toRead = new Map<EnvironmentConfig, ServiceEvents[]>();
    await Promise.all(
      pending.map(async g => {
        if (g.events.length === 0) {
          result.done.push(...g.messages); // late or repeated: already seen
          return;
        }
        if (g.events.every(e => e.eventName === 'SERVICE_STEADY_STATE')) {
          const cached = (await store.read(g.env, [g.service])).get(g.service);
          if (!cached?.stale && steady(cached?.state)) {
            await this.applied(g, result);
            return;
          }
        }
        toRead.set(g.env, [...(toRead.get(g.env) ?? []), g]);
      }),
    );
    await Promise.all(
      [...toRead].map(async ([env, services]) => {
        const names = services.map(s => s.service);
        const refreshed = await store.refresh(env, names, { cause: 'event' });
        result.read += names.length;
        result.changed += refreshed.changed.length;
        await Promise.all(
          services.map(g =>
            refreshed.failed.includes(g.service)
              ? result.retry.push(...g.messages)
              : this.applied(g, result),
          ),
        );
      }),
    );
    return result;
  }

  private async applied(g: ServiceEvents, result: HandledBatch) {
    await this.options.marks.commit(g.env, g.service, g.events);
    result.done.push(...g.messages);
    result.applied += g.events.length;
    const latest = Math.max(...g.events.map(e => e.time));
    result.latestEventAt = Math.max(result.latestEventAt ?? 0, latest);
  }
}
