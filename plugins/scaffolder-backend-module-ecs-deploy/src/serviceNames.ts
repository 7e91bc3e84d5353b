/*
 * Client of the ECS deploy backend's name check (GET /service-names/:name): whether an entity of
 * the catalog or an ECS service in any configured environment already has a name. Only that
 * backend holds AWS credentials; the scaffolder calls it with a plugin-to-plugin token.
 */
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import type { ServiceNameCheck } from '@deployment-portal/plugin-ecs-deploy-common';
import { refusal } from './errors';

/** Answers whether a service name is free. */
export interface ServiceNameChecker {
  check(name: string): Promise<ServiceNameCheck>;
}

/** The {@link ServiceNameChecker} backed by the `ecs-deploy` backend plugin. */
export function createServiceNameChecker(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ServiceNameChecker {
  const { discovery, auth } = options;
  const unavailable = (name: string, reason: string) =>
    refusal(
      new ServiceUnavailableError(
        `Could not check the name "${name}" with the ecs-deploy backend: ${reason}`,
      ),
    );
  return {
    async check(name) {
      const baseUrl = await discovery.getBaseUrl('ecs-deploy');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'ecs-deploy',
      });
      let res: Response;
      try {
        res = await fetch(
          `${baseUrl}/service-names/${encodeURIComponent(name)}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
      } catch (e) {
        throw unavailable(name, (e as Error).message);
      }
      if (!res.ok) {
        throw unavailable(
          name,
          (await ResponseError.fromResponse(res)).message,
        );
      }
      return (await res.json()) as ServiceNameCheck;
    },
  };
}
