import type { ServiceNameCheck } from '@deployment-portal/plugin-ecs-deploy-common';

/** Whether a new service may take a name (catalog and every configured environment). */
export interface ServiceNameService {
  check(name: string): Promise<ServiceNameCheck>;
}
