/*
 * What the frontend needs of the configuration, and the name check of new services.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { FreezeWindowInfo } from './promotion';
import type { PromotionPath } from './status';

/** Configuration the frontend needs (no secrets). @public */
export interface EcsDeployEnvironmentInfo {
  name: string;
  title: string;
  region: string;
  cluster: string;
}

/** @public */
export interface EcsDeployInfo {
  environments: EcsDeployEnvironmentInfo[];
  promotionPaths: PromotionPath[];
  activeFreezeWindows: FreezeWindowInfo[];
}

/** Why a service name cannot be claimed. @public */
export interface ServiceNameConflict {
  code:
    | 'invalid-name'
    | 'entity-exists'
    | 'ecs-service-exists'
    | 'environment-unreadable';
  /** One sentence naming what holds the name, e.g. the entity ref or the cluster. */
  message: string;
  /** The environment the conflict was found in (ECS checks). */
  environment?: string;
}

/**
 * `GET /service-names/:name`: whether a new service may take this name. A name is taken when an
 * entity of the catalog has it (or points its ECS annotation at it) or an ECS service of that name
 * exists in any configured environment. An environment that cannot be read makes the answer
 * `available: false` (never claim a name that might be taken).
 *
 * @public
 */
export interface ServiceNameCheck {
  name: string;
  available: boolean;
  conflicts: ServiceNameConflict[];
}
