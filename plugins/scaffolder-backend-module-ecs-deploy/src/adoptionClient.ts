/*
 * Client of the ECS deploy backend's adoption (POST /adoptions): only that backend holds AWS
 * credentials and decides who may adopt. The scaffolder calls it on behalf of the task's
 * initiator, so the backend checks and audits the person, not the scaffolder.
 */
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import type {
  AdoptionRequest,
  AdoptionResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { refusal } from './errors';

/** Adopts an unclaimed ECS service through the ecs-deploy backend. */
export interface AdoptionClient {
  /** The backend's answer; its 400/403/404/409 rethrown with the same name and message. */
  adopt(
    request: AdoptionRequest,
    credentials: BackstageCredentials,
  ): Promise<AdoptionResult>;
}

/** The {@link AdoptionClient} backed by the `ecs-deploy` backend plugin. */
export function createAdoptionClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): AdoptionClient {
  const { discovery, auth } = options;
  return {
    async adopt(request, credentials) {
      const baseUrl = await discovery.getBaseUrl('ecs-deploy');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'ecs-deploy',
      });
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/adoptions`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(request),
        });
      } catch (e) {
        throw refusal(
          new ServiceUnavailableError(
            `Could not adopt ${
              request.serviceName
            } through the ecs-deploy backend: ${(e as Error).message}`,
          ),
        );
      }
      if (!res.ok) {
        const error = await ResponseError.fromResponse(res);
        // The backend's own error (NotAllowedError, ConflictError, ...): the user's answer.
        throw refusal(error.cause);
      }
      // Parsed here rather than by fetch's res.json(): Node's fetch builds its objects in Node's
      // own realm, which the scaffolder's templating refuses as step outputs under Jest's VM.
      return JSON.parse(await res.text()) as AdoptionResult;
    },
  };
}
