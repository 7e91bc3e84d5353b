import { CacheService } from '@backstage/backend-plugin-api';
import type { EnvironmentConfig } from '../../config';
import type { EcsEvent } from './parseEvent';

/** The last applied event time of a service and the ids applied at that time. */
export interface Mark {
  time: number;
  ids: string[];
}

/**
 * The events not applied yet: later than the mark, or at its time with an id not applied. An
 * event earlier than the mark is late: the read made for the later event already saw what it
 * reports (that read started after the later event, so after this one); a repeated id is a
 * duplicate (SQS delivers at least once).
 */
export function unapplied(
  mark: Mark | undefined,
  events: EcsEvent[],
): EcsEvent[] {
  if (!mark) return events;
  return events.filter(
    e => e.time > mark.time || (e.time === mark.time && !mark.ids.includes(e.id)),
  );
}

/** The mark after applying `events` (never earlier than `mark`). */
export function advance(mark: Mark | undefined, events: EcsEvent[]): Mark {
  const latest = Math.max(mark?.time ?? -Infinity, ...events.map(e => e.time));
  const ids = new Set(mark?.time === latest ? mark.ids : []);
  for (const e of events) if (e.time === latest) ids.add(e.id);
  return { time: latest, ids: [...ids] };
}

/**
 * Per service, the last applied event (time and ids), in the shared cache so that whichever
 * replica consumes next continues from it. Written after the service's state is stored: a
 * consumer that dies between the two reads the service again when the events come back.
 */
export class EventMarks {
  constructor(
    private readonly cache: CacheService,
    /** How long a quiet service's mark is kept (longer than SQS keeps a message). */
    private readonly ttlMs: number,
  ) {}

  private key(env: EnvironmentConfig, service: string) {
    return `events:mark:${env.name}:${service}`;
  }

  async get(env: EnvironmentConfig, service: string): Promise<Mark | undefined> {
    return (await this.cache.get(this.key(env, service))) as Mark | undefined;
  }

  async commit(env: EnvironmentConfig, service: string, events: EcsEvent[]) {
    const next = advance(await this.get(env, service), events);
    await this.cache.set(this.key(env, service), next as any, {
      ttl: this.ttlMs,
    });
  }
}
