import { randomUUID } from 'node:crypto';
import type { LockStore } from '../../database/LockStore';

/**
 * Who consumes a queue: one replica at a time, through a claim in the plugin's database (an
 * insert-if-absent with an expiry, the lock table). The holder renews it before each receive; a
 * holder that dies loses it when it expires, and the next replica to ask takes it.
 */
export class QueueClaims {
  /** This replica, for as long as it runs. */
  private readonly owner = randomUUID();

  constructor(
    private readonly locks: LockStore,
    private readonly ttlMs: number,
  ) {}

  private key(queue: string) {
    return `events-consumer:${queue}`;
  }

  /** Renews this replica's claim on `queue`, or takes it if free; false while another holds it. */
  async hold(queue: string): Promise<boolean> {
    const key = this.key(queue);
    return (
      (await this.locks.renew(key, this.owner, this.ttlMs)) ||
      this.locks.tryLock(key, this.owner, this.ttlMs)
    );
  }

  /** Gives the claim up (at shutdown): another replica takes over at once. */
  release(queue: string): Promise<void> {
    return this.locks.unlock(this.key(queue), this.owner);
  }
}
