import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Reads made for an ECS event (a change a page is waiting to show) go before the rest (the warm
 * index, viewers' refreshes) wherever calls wait: the read budget and the concurrency cap. The
 * priority follows the calls made inside {@link urgently} through the SDK's middleware.
 */
const urgentReads = new AsyncLocalStorage<true>();

/** Runs `fn` with every AWS call it makes urgent. */
export function urgently<T>(fn: () => Promise<T>): Promise<T> {
  return urgentReads.run(true, fn);
}

/** Whether the calling code runs inside {@link urgently}. */
export function isUrgent(): boolean {
  return urgentReads.getStore() === true;
}
