/*
 * The newest log events of a time range, read with an API that only pages forward in time
 * (CloudWatch Logs' FilterLogEvents): backward slices of growing size, a slice with too many
 * events split in halves (the newer half first), and a budget of calls per read. Pure: the page
 * reader is injected.
 */
import type { LogEventPage, RawLogEvent } from './types';

/** One page of the events with `start <= timestamp <= end` (both inclusive), oldest first. */
export type PageReader = (
  range: { start: number; end: number },
  token?: string,
) => Promise<LogEventPage>;

/**
 * Where a read stopped: every event newer than `until`, and the newest `skip` events at `until`
 * (in timestamp-then-id order), were returned.
 */
export interface LogCursor {
  until: number;
  skip: number;
}

export interface NewestOptions {
  /** Read events up to here (the cursor of the previous page, or `now` with skip 0). */
  cursor: LogCursor;
  /** The oldest time this read searches (the per-read window). */
  from: number;
  /** No event is older than this (the log group's creation, or the caller's `since`). */
  floor: number;
  limit: number;
  /** Page reads allowed; a read that runs out returns what it has and where it stopped. */
  maxCalls: number;
  /** Events read from one slice before it is split. */
  denseEvents: number;
  /** Size of the newest slice; each older one is `growth` times larger. */
  firstSliceMs: number;
  growth?: number;
}

export interface NewestResult {
  /** At most `limit` events, oldest first: every event between the oldest one and the cursor. */
  events: RawLogEvent[];
  /** Where the next (older) page starts; absent when nothing older can exist. */
  next?: LogCursor;
  /** Calls made. */
  calls: number;
}

const byTime = (a: RawLogEvent, b: RawLogEvent) =>
  a.timestamp - b.timestamp || Number(a.id > b.id) - Number(a.id < b.id);

/** Sorted events without the newest `skip` of those at `until`. */
function withoutDelivered(events: RawLogEvent[], until: number, skip: number) {
  const sorted = [...events].sort(byTime);
  if (skip <= 0) return sorted;
  const at = sorted.filter(e => e.timestamp === until);
  const dropped = new Set(at.slice(Math.max(0, at.length - skip)));
  return sorted.filter(e => !dropped.has(e));
}

/** The newest `limit` events at or before the cursor and not older than `from`. */
export async function newestEvents(
  read: PageReader,
  options: NewestOptions,
): Promise<NewestResult> {
  const { limit, denseEvents, growth = 4 } = options;
  let calls = 0;

  /** The newest `need` events of [start, end]; `stoppedAt` when the call budget ran out. */
  const suffix = async (
    start: number,
    end: number,
    need: number,
    skip: number,
  ): Promise<{ events: RawLogEvent[]; stoppedAt?: LogCursor }> => {
    const seen: RawLogEvent[] = [];
    let token: string | undefined;
    do {
      if (calls >= options.maxCalls) {
        return { events: [], stoppedAt: { until: end, skip } };
      }
      calls++;
      const page = await read({ start, end }, token);
      seen.push(...page.events);
      token = page.nextToken;
      // One millisecond cannot be split: read it all (within the budget).
    } while (token && (seen.length < denseEvents || start === end));
    if (!token) {
      return { events: withoutDelivered(seen, end, skip).slice(-need) };
    }
    // Too many events to read in order: the newer half first, the older only if still needed.
    const mid = Math.floor((start + end) / 2);
    const later = await suffix(mid + 1, end, need, skip);
    if (later.stoppedAt || later.events.length >= need) {
      return later;
    }
    const earlier = await suffix(start, mid, need - later.events.length, 0);
    return {
      events: [...earlier.events, ...later.events],
      stoppedAt: earlier.stoppedAt,
    };
  };

  let events: RawLogEvent[] = [];
  let end = options.cursor.until;
  let skip = options.cursor.skip;
  let size = options.firstSliceMs;
  while (end >= options.from) {
    const start = Math.max(options.from, end - size + 1);
    const got = await suffix(start, end, limit - events.length, skip);
    events = [...got.events, ...events];
    if (got.stoppedAt) {
      return { events, next: got.stoppedAt, calls };
    }
    if (events.length >= limit) {
      const oldest = events[0].timestamp;
      const delivered =
        events.filter(e => e.timestamp === oldest).length +
        (oldest === options.cursor.until ? options.cursor.skip : 0);
      return { events, next: { until: oldest, skip: delivered }, calls };
    }
    end = start - 1;
    skip = 0;
    size *= growth;
  }
  return {
    events,
    next:
      options.from > options.floor
        ? { until: options.from - 1, skip: 0 }
        : undefined,
    calls,
  };
}

/** The cursor as an opaque, URL-safe token. */
export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.until}.${cursor.skip}`).toString('base64url');
}

/** The cursor of a token, or undefined when it is not one of ours. */
export function decodeCursor(token: string): LogCursor | undefined {
  const m = /^(\d{1,15})\.(\d{1,6})$/.exec(
    Buffer.from(token, 'base64url').toString('utf8'),
  );
  return m ? { until: Number(m[1]), skip: Number(m[2]) } : undefined;
}
