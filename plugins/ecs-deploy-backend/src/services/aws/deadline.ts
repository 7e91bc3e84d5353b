import { DeadlineExceededError } from '../errors';

/** A time limit several calls share: its signal, and a race of any promise against it. */
export interface Deadline {
  /** Aborts when the time is up (or when the parent signal aborts). */
  signal: AbortSignal;
  /**
   * `promise`, or a DeadlineExceededError the moment the deadline passes, even if the work
   * ignores the signal: the caller's time is bounded either way.
   */
  within<T>(promise: Promise<T>): Promise<T>;
}

/**
 * A deadline of `ms` for `what` (named in the 503 it ends with), on `AbortSignal.timeout`, joined
 * with the caller's own signal (`AbortSignal.any`) when there is one.
 */
export function deadline(
  ms: number,
  what: string,
  parent?: AbortSignal,
): Deadline {
  const timeout = AbortSignal.timeout(ms);
  const signal = parent ? AbortSignal.any([timeout, parent]) : timeout;
  const within = <T>(promise: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const expire = () => reject(new DeadlineExceededError(what, ms));
      if (signal.aborted) {
        promise.catch(() => {}); // settles after the caller left: not an unhandled rejection
        expire();
        return;
      }
      signal.addEventListener('abort', expire, { once: true });
      promise.then(
        value => {
          signal.removeEventListener('abort', expire);
          resolve(value);
        },
        error => {
          signal.removeEventListener('abort', expire);
          reject(error);
        },
      );
    });
  return { signal, within };
}

/** Runs `fn` with a deadline's signal and bounds its time by the deadline. */
export function withDeadline<T>(
  ms: number,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const d = deadline(ms, what);
  return d.within(fn(d.signal));
}
