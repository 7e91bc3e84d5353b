import { CustomErrorBase } from '@backstage/errors';

/** A caller read more often than allowed: HTTP 429. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}

/** Buckets kept before full ones are forgotten. */
const PRUNE_AT = 10_000;

/**
 * A token bucket per caller: `burst` reads at once, refilled at `perMinute`. In memory, so with
 * several replicas each one bounds its own share (the AWS calls per read are bounded as well).
 */
export class CallerRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token of the caller's bucket, or throws a 429 saying when to retry. */
  take(caller: string, what: string): void {
    const now = this.now();
    const refill = (at: number) => ((now - at) * this.perMinute) / 60_000;
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + refill(bucket.at));
    bucket.at = now;
    if (bucket.tokens < 1) {
      const seconds = Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute);
      throw new TooManyRequestsError(
        `${caller} read ${what} more than ${this.perMinute} times a minute; try again in ${seconds} s`,
      );
    }
    bucket.tokens -= 1;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > PRUNE_AT) {
      for (const [key, b] of this.buckets) {
        if (b.tokens + refill(b.at) >= this.burst) this.buckets.delete(key);
      }
    }
  }
}
