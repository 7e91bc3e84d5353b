/*
 * Onboarding: the ECS services nobody owns yet.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  ParsedUnclaimedServicesQuery,
  UnclaimedServices,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** Lists the ECS services of the configured environments that no catalog entity owns. */
export interface UnclaimedServicesService {
  /** One page, filtered; a 403 without the permission, a 400 for an unknown environment. */
  list(
    query: ParsedUnclaimedServicesQuery,
    credentials: BackstageCredentials,
  ): Promise<UnclaimedServices>;
}
