import {
  decodeCursor,
  encodeCursor,
  LogCursor,
  newestEvents,
  NewestOptions,
  PageReader,
} from './window';
import type { RawLogEvent } from './types';

/** A log of events at the given timestamps, read `pageSize` events per page like FilterLogEvents. */
function fakeLog(timestamps: number[], pageSize = 3) {
  const events: RawLogEvent[] = timestamps.map((timestamp, i) => ({
    id: `e${String(i).padStart(4, '0')}`,
    timestamp,
    stream: 'ecs/app/t1',
    message: `line ${i}`,
  }));
  const ranges: Array<[number, number]> = [];
  const read: PageReader = async ({ start, end }, token) => {
    ranges.push([start, end]);
    const all = events.filter(e => e.timestamp >= start && e.timestamp <= end);
    const from = token ? Number(token) : 0;
    const page = all.slice(from, from + pageSize);
    return {
      events: page,
      nextToken:
        from + pageSize < all.length ? String(from + pageSize) : undefined,
    };
  };
  return { events, read, ranges };
}

const options = (
  cursor: LogCursor,
  over: Partial<NewestOptions> = {},
): NewestOptions => ({
  cursor,
  from: 0,
  floor: 0,
  limit: 3,
  maxCalls: 50,
  denseEvents: 6,
  firstSliceMs: 10,
  ...over,
});

const messages = (events: RawLogEvent[]) => events.map(e => e.message);

/** Every page of the log, newest first, as "load older" walks it. */
async function walk(
  read: PageReader,
  over: Partial<NewestOptions> & { until: number },
) {
  const pages: string[][] = [];
  let cursor: LogCursor | undefined = { until: over.until, skip: 0 };
  while (cursor && pages.length < 100) {
    const result = await newestEvents(read, options(cursor, over));
    pages.push(messages(result.events));
    cursor = result.next;
  }
  return pages;
}

describe('newestEvents', () => {
  it('returns the newest events, oldest first, and a cursor for the older ones', async () => {
    const log = fakeLog([1, 5, 12, 30, 31, 95]);
    const result = await newestEvents(
      log.read,
      options({ until: 100, skip: 0 }),
    );
    expect(messages(result.events)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(result.next).toEqual({ until: 30, skip: 1 });
    // Slices grow backwards from the cursor (10, 40, then 160 ms cut at 0); the last has two pages.
    expect(log.ranges).toEqual([
      [91, 100],
      [51, 90],
      [0, 50],
      [0, 50],
    ]);
  });

  it.each([
    ['sparse', [1, 5, 12, 30, 31, 95], 3],
    ['many at one millisecond', [7, 7, 7, 7, 7, 7, 7, 8], 3],
    ['dense, split in halves', Array.from({ length: 40 }, (_, i) => i * 2), 3],
    ['a page larger than the rest', [1, 2, 3, 4, 5, 6, 7], 5],
  ])(
    'pages through every event exactly once (%s)',
    async (_, timestamps: number[], limit: number) => {
      const log = fakeLog(timestamps);
      const pages = await walk(log.read, { until: 100, limit });
      const seen = pages.reverse().flat();
      expect(seen).toEqual(log.events.map(e => e.message));
    },
  );

  it('splits a dense slice and reads only its newer half when that is enough', async () => {
    const log = fakeLog(
      Array.from({ length: 20 }, (_, i) => 80 + i),
      3,
    );
    const result = await newestEvents(
      log.read,
      options({ until: 99, skip: 0 }),
    );
    expect(messages(result.events)).toEqual(['line 17', 'line 18', 'line 19']);
    expect(log.ranges).toContainEqual([95, 99]);
    expect(log.ranges).not.toContainEqual([0, 49]);
  });

  it('stops at the call budget with the events it has and where it stopped', async () => {
    const log = fakeLog([1, 2, 95]);
    const result = await newestEvents(
      log.read,
      options({ until: 100, skip: 0 }, { maxCalls: 2 }),
    );
    expect(messages(result.events)).toEqual(['line 2']);
    expect(result.next).toEqual({ until: 50, skip: 0 });
    expect(result.calls).toBe(2);
    const rest = await newestEvents(log.read, options(result.next!));
    expect(messages(rest.events)).toEqual(['line 0', 'line 1']);
  });

  it('continues below the window unless the floor was reached', async () => {
    const log = fakeLog([1, 95]);
    const windowed = await newestEvents(
      log.read,
      options({ until: 100, skip: 0 }, { from: 60 }),
    );
    expect(messages(windowed.events)).toEqual(['line 1']);
    expect(windowed.next).toEqual({ until: 59, skip: 0 });
    const floored = await newestEvents(
      log.read,
      options({ until: 100, skip: 0 }, { from: 60, floor: 60 }),
    );
    expect(floored.next).toBeUndefined();
  });
});

describe('cursor tokens', () => {
  it('round-trip and refuse anything else', () => {
    const cursor = { until: 1764470000123, skip: 4 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('bm90LWEtY3Vyc29y')).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });
});
