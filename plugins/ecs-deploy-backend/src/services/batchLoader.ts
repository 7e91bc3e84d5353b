import DataLoader from 'dataloader';

/**
 * DataLoader's cache map, used only to join calls in flight: an entry is removed as soon as its
 * promise settles, so nothing is memoised (caching is the cache service's job).
 */
class InflightMap<K, V> implements DataLoader.CacheMap<K, Promise<V>> {
  private readonly map = new Map<K, Promise<V>>();

  get(key: K) {
    return this.map.get(key);
  }

  set(key: K, value: Promise<V>) {
    this.map.set(key, value);
    const forget = () => {
      if (this.map.get(key) === value) this.map.delete(key);
    };
    value.then(forget, forget);
  }

  delete(key: K) {
    this.map.delete(key);
  }

  clear() {
    this.map.clear();
  }
}

/**
 * The one request-coalescing helper: identical keys in flight share one promise, and keys asked
 * for in the same tick (by any number of concurrent callers) go to `batch` together, at most
 * `maxBatchSize` per call. With `maxInFlight`, a batch is sent at once while fewer calls than that
 * are in flight; past it, the batch waits for one to finish and meanwhile takes in the keys asked
 * for after it; likewise while it waits for `beforeDispatch`. So a lone read never waits, and
 * batches grow only when reads queue anyway.
 */
export function createBatchLoader<K, V>(
  batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  options: {
    maxBatchSize: number;
    maxInFlight?: number;
    /** For keys that are not strings: the string identifying a key. */
    cacheKeyFn?: (key: K) => string;
    /**
     * Awaited before a batch is sent (a point of a rate budget): keys asked for meanwhile join
     * the waiting batch, up to `maxBatchSize`. A failure is not the batch's: it is sent all the
     * same.
     */
    beforeDispatch?: () => Promise<void>;
  },
): DataLoader<K, V, string | K> {
  const { maxInFlight, beforeDispatch } = options;
  let inFlight = 0;
  /** Batch function calls so far: a dispatch that makes none held only joined keys. */
  let calls = 0;
  const waiting: Array<() => void> = [];
  // DataLoader dispatches a batch whose keys were all in flight already (joined) without calling
  // the batch function: its slot is given back at once, or every such batch would keep one for
  // good, and once `maxInFlight` were kept no read would ever be sent again.
  function send(dispatch: () => void) {
    inFlight++;
    const before = calls;
    dispatch();
    if (calls === before) release();
  }
  function release() {
    inFlight--;
    const next = waiting.shift();
    if (next) send(next);
  }
  const counted = async (keys: readonly K[]) => {
    calls++;
    try {
      return await batch(keys);
    } finally {
      release();
    }
  };
  return new DataLoader<K, V, string | K>(maxInFlight ? counted : batch, {
    maxBatchSize: options.maxBatchSize,
    cacheKeyFn: options.cacheKeyFn,
    cacheMap: new InflightMap<string | K, V>(),
    batchScheduleFn:
      maxInFlight || beforeDispatch
        ? callback =>
            process.nextTick(async () => {
              await beforeDispatch?.().catch(() => undefined);
              if (!maxInFlight) callback();
              else if (inFlight < maxInFlight) send(callback);
              else waiting.push(callback);
            })
        : undefined,
  });
}

/** Calls of `fn` with the same key (by `keyOf`) in flight share one promise. */
export function coalesce<K, V>(
  fn: (key: K) => Promise<V>,
  keyOf: (key: K) => string,
): (key: K) => Promise<V> {
  const loader = createBatchLoader<K, V>(
    keys => Promise.all(keys.map(k => fn(k).catch((e: Error) => e))),
    { maxBatchSize: 1, cacheKeyFn: keyOf },
  );
  return key => loader.load(key);
}
