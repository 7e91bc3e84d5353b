import type { EcsDeployInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../config';
import { activeFreezeWindows } from './promotion/freezeWindows';

/** Static facts for the frontend. */
export interface InfoService {
  info(): EcsDeployInfo;
}

/** The configuration the frontend needs (no secrets, no accounts or endpoints). */
export class DefaultInfoService implements InfoService {
  constructor(
    private readonly settings: Pick<
      EcsDeployConfig,
      'environments' | 'promotionPaths' | 'freezeWindows'
    >,
    private readonly now: () => Date = () => new Date(),
  ) {}

  info(): EcsDeployInfo {
    const { environments, promotionPaths, freezeWindows } = this.settings;
    return {
      environments: environments.map(({ name, title, region, cluster }) => ({
        name,
        title,
        region,
        cluster,
      })),
      promotionPaths: promotionPaths.map(({ from, to }) => ({ from, to })),
      activeFreezeWindows: activeFreezeWindows(freezeWindows, this.now()),
    };
  }
}
