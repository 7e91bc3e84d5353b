export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface PollOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between two calls (default 100 ms). */
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns a truthy value and returns that value. A probe that throws is
 * called again; after `timeoutMs` the error names `what` and the last value or error.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 100 }: PollOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const value = await probe();
      if (value) return value as Truthy<T>;
      last = `last value: ${JSON.stringify(value)}`;
    } catch (e) {
      last = `last error: ${(e as Error).message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; ${last}`,
      );
    }
    await sleep(intervalMs);
  }
}
