import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import type { LockStore } from '../../database/LockStore';
import { GuardError } from '../errors';
import { describeService, serviceKey } from '../serviceRef';
import type { DeploymentLock, Lease } from './types';

/**
 * {@link DeploymentLock} on the plugin's database: one row per ECS service being changed, shared
 * by every replica; a crashed holder's lock expires after `ttlMs`.
 */
export class DatabaseDeploymentLock implements DeploymentLock {
  constructor(
    private readonly locks: LockStore,
    private readonly ttlMs: number,
  ) {}

  async acquire(service: EcsServiceRef): Promise<Lease> {
    const key = serviceKey(service);
    const owner = randomUUID();
    if (!(await this.locks.tryLock(key, owner, this.ttlMs))) {
      throw new GuardError({
        code: 'in-flight',
        message: `Another promotion or rollback of ${describeService(
          service,
        )} is in progress; try again when it has finished`,
      });
    }
    return { release: () => this.locks.unlock(key, owner) };
  }

  isLocked(service: EcsServiceRef): Promise<boolean> {
    return this.locks.isLocked(serviceKey(service));
  }
}
