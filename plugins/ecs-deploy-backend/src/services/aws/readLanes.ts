import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which lane an ECS read waits in for the portal's budget: the foreground (what a viewer or an
 * event waits for) or the background (the warm index's passes, which take a smaller share and
 * yield). A background read that a foreground caller comes to wait for is promoted.
 */
export interface Lane {
  background: boolean;
}

const lanes = new AsyncLocalStorage<Lane>();

/** Runs `work` as background reading: its ECS calls, however deep, wait in the background lane. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return lanes.run({ background: true }, work);
}

/** The caller's lane (none: foreground). */
export function currentLane(): Lane | undefined {
  return lanes.getStore();
}

/** Whether the caller reads in the background. */
export function isBackground(): boolean {
  return lanes.getStore()?.background === true;
}

/**
 * Reads shared by key (a task definition's ARN): each runs in a lane of its own, background only
 * while no foreground caller waits for its key, so a viewer who joins the index's read in flight
 * promotes it instead of waiting behind the index or reading it twice.
 */
export class SharedReads {
  private readonly running = new Map<string, Lane>();
  private readonly wanted = new Map<string, number>();

  /** A caller waits for `key` until `done` settles: a foreground caller promotes its read. */
  async waitFor<T>(key: string, done: () => Promise<T>): Promise<T> {
    if (isBackground()) return done();
    this.wanted.set(key, (this.wanted.get(key) ?? 0) + 1);
    const lane = this.running.get(key);
    if (lane) lane.background = false;
    try {
      return await done();
    } finally {
      const left = this.wanted.get(key)! - 1;
      if (left > 0) this.wanted.set(key, left);
      else this.wanted.delete(key);
    }
  }

  /** Runs the read of `key`, in the background lane if its caller is and nobody else waits. */
  async run<T>(key: string, read: () => Promise<T>): Promise<T> {
    const lane = { background: isBackground() && !this.wanted.has(key) };
    this.running.set(key, lane);
    try {
      return await lanes.run(lane, read);
    } finally {
      if (this.running.get(key) === lane) this.running.delete(key);
    }
  }
}
