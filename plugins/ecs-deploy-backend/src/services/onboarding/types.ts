/*
 * Onboarding: the ECS services nobody owns yet.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  Adopter,
  AdoptionJob,
  AdoptionJobPreview,
  AdoptionJobRequest,
  AdoptionRequest,
  AdoptionResult,
  ParsedUnclaimedServicesQuery,
  UnclaimedServices,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { Caller } from '../catalog/types';

/** Lists the ECS services of the configured environments that no catalog entity owns. */
export interface UnclaimedServicesService {
  /** One page, filtered; a 403 without the permission, a 400 for an unknown environment. */
  list(
    query: ParsedUnclaimedServicesQuery,
    credentials: BackstageCredentials,
  ): Promise<UnclaimedServices>;
}

/** Adopts unclaimed ECS services for new components, and undoes an adoption. */
export interface AdoptionService {
  /**
   * Checks (400 unconfigured environment or unknown owner group, 404 no such service, 409 owned
   * or being adopted, 403 neither a member of the suggested owner group nor an admin), then,
   * unless a dry run, tags the service and creates its image parameters in each environment.
   */
  adopt(
    request: Required<AdoptionRequest>,
    caller: Caller,
  ): Promise<AdoptionResult>;
  /** Whether the caller is an admin, and the groups whose suggested services the caller may adopt. */
  adopter(caller: Caller): Promise<Adopter>;
  /** Restores the tag and removes the parameters the adoption created (owners and admins). */
  release(
    environment: string,
    serviceName: string,
    caller: Caller,
  ): Promise<void>;
}

/** Bulk adoption by admins: a preview, then one stored job that a restart resumes. */
export interface AdoptionJobService {
  /** Each service's dry run (its result, or the error a single adoption would answer); 403 non-admins. */
  preview(
    request: Required<AdoptionJobRequest>,
    caller: Caller,
  ): Promise<AdoptionJobPreview>;
  /** Stores the job with every service pending and asks the runner to start; 403 non-admins. */
  start(
    request: Required<AdoptionJobRequest>,
    caller: Caller,
  ): Promise<AdoptionJob>;
  /** The job and its per-service report; 404 unknown, 403 non-admins. */
  get(id: string, caller: Caller): Promise<AdoptionJob>;
  /** Adopts the pending services of every unfinished job; how many it finished. */
  runPending(signal?: AbortSignal): Promise<number>;
}
