import { Knex } from 'knex';
import { isUniqueViolation } from './auditRows';

const TABLE = 'ecs_deploy_locks';

/**
 * The one writer of `ecs_deploy_locks`: named locks with an expiry, shared by every replica. A
 * lock is taken by inserting its row (the primary key makes it atomic); a holder that dies loses
 * it when it expires. Deployment locks, the status cache's refresh claims and the event queues'
 * consumer claims live here.
 */
export class LockStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Takes the lock if free (or expired); false when another holder has it. */
  async tryLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.tryLockAll([key], owner, ttlMs)).length === 1;
  }

  /**
   * Takes each free (or expired) lock of `keys` with one insert-if-absent; returns the keys taken.
   * Of holders racing on any replica, exactly one takes each key.
   */
  async tryLockAll(
    keys: string[],
    owner: string,
    ttlMs: number,
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const now = new Date();
    await this.db(TABLE)
      .whereIn('lock_key', keys)
      .andWhere('expires_at', '<', now)
      .delete();
    const rows = keys.map(key => ({
      lock_key: key,
      owner,
      expires_at: new Date(now.getTime() + ttlMs),
    }));
    try {
      await this.db(TABLE).insert(rows).onConflict('lock_key').ignore();
    } catch (error) {
      // Another holder (on any replica) took one first, on a database without ON CONFLICT.
      if (!isUniqueViolation(error)) throw error;
    }
    const taken = await this.db(TABLE)
      .whereIn('lock_key', keys)
      .andWhere({ owner })
      .select('lock_key');
    return taken.map(r => r.lock_key as string);
  }

  /** Extends a lock `owner` holds (and has not lost to expiry and another holder); false otherwise. */
  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ lock_key: key, owner })
      .update({ expires_at: new Date(Date.now() + ttlMs) });
    return updated === 1;
  }

  async isLocked(key: string): Promise<boolean> {
    const row = await this.db(TABLE)
      .where('lock_key', key)
      .andWhere('expires_at', '>=', new Date())
      .first();
    return Boolean(row);
  }

  async unlock(keys: string | string[], owner: string): Promise<void> {
    await this.db(TABLE)
      .whereIn('lock_key', Array.isArray(keys) ? keys : [keys])
      .andWhere({ owner })
      .delete();
  }
}
