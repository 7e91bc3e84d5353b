import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import { EcsDeployStore } from '../../database/EcsDeployStore';
import { describeService, serviceKey } from '../serviceRef';
import type { DeploymentLock } from '../types';
import { GuardError } from './guards';

/**
 * {@link DeploymentLock} on the plugin's database: one row per ECS service being changed, shared
 * by every replica; a crashed holder's lock expires after `ttlMs`.
 */
export class DatabaseDeploymentLock implements DeploymentLock {
  constructor(
    private readonly store: EcsDeployStore,
    private readonly ttlMs: number,
  ) {}

  async withLock<T>(service: EcsServiceRef, fn: () => Promise<T>): Promise<T> {
    const key = serviceKey(service);
    const owner = randomUUID();
    if (!(await this.store.tryLock(key, owner, this.ttlMs))) {
      throw new GuardError({
        code: 'in-flight',
        message: `Another promotion or rollback of ${describeService(
          service,
        )} is in progress; try again when it has finished`,
      });
    }
    try {
      return await fn();
    } finally {
      await this.store.unlock(key, owner);
    }
  }

  isLocked(service: EcsServiceRef): Promise<boolean> {
    return this.store.isLocked(serviceKey(service));
  }
}
