import { randomUUID } from 'node:crypto';
import type { LockStore } from '../../database/LockStore';

/** The entries a refresher won, to give back when it is done. */
export interface Claimed {
  keys: string[];
  release(): Promise<void>;
}

/** Who refreshes an entry: one reader, on any replica, at a time. */
export interface RefreshClaims {
  claim(keys: string[]): Promise<Claimed>;
}

/**
 * Refresh claims in the plugin's database: an insert-if-absent with an expiry (the lock table),
 * so of readers racing on any number of replicas exactly one wins each entry. A claim expires
 * after `ttlMs` (never longer than the status TTL), so a refresher that died holds nothing for
 * long.
 */
export class DatabaseRefreshClaims implements RefreshClaims {
  constructor(
    private readonly locks: LockStore,
    private readonly ttlMs: number,
  ) {}

  async claim(keys: string[]): Promise<Claimed> {
    const owner = randomUUID();
    const prefixed = keys.map(k => `refresh:${k}`);
    const won = new Set(
      await this.locks.tryLockAll(prefixed, owner, this.ttlMs),
    );
    const mine = keys.filter((_, i) => won.has(prefixed[i]));
    return {
      keys: mine,
      release: () =>
        this.locks.unlock(
          mine.map(k => `refresh:${k}`),
          owner,
        ),
    };
  }
}
