import { AsyncLocalStorage } from 'node:async_hooks';

/** What the AWS calls made inside a function carry to the clients' middleware. */
export interface CallContext {
  /**
   * For an ECS event (a change a page is waiting to show): goes before the rest (the warm index,
   * viewers' refreshes) wherever calls wait, the read budget and the concurrency cap.
   */
  urgent?: boolean;
  /** Its point of the read budget was taken already (a batch that waited for it while it grew). */
  paid?: boolean;
}

const calls = new AsyncLocalStorage<CallContext>();

/** Runs `fn` with every AWS call it makes urgent. */
export function urgently<T>(fn: () => Promise<T>): Promise<T> {
  return calls.run({ ...calls.getStore(), urgent: true }, fn);
}

/** Runs `fn`, whose calls took their points of the read budget before. */
export function paidFor<T>(fn: () => Promise<T>): Promise<T> {
  return calls.run({ ...calls.getStore(), paid: true }, fn);
}

/** The context of the calling code. */
export function callContext(): CallContext {
  return calls.getStore() ?? {};
}
