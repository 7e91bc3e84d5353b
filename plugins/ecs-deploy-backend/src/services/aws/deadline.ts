import { ServiceUnavailableError } from '@backstage/errors';

/** The error of a call that did not finish in time. */
export class DeadlineExceededError extends ServiceUnavailableError {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${Math.round(ms / 100) / 10} s`);
  }
}

/**
 * A deadline several calls share: `expired` rejects with a DeadlineExceededError after `ms`
 * (a promise to race against); `clear()` once done.
 */
export function startDeadline(ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
  });
  expired.catch(() => {}); // rejected with nobody racing it: not an unhandled rejection
  return { expired, clear: () => clearTimeout(timer) };
}

/**
 * Runs `fn` with an AbortSignal that fires after `ms`; rejects with a DeadlineExceededError at
 * that moment even if `fn` ignores the signal, so the caller's time is bounded either way.
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(what, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
