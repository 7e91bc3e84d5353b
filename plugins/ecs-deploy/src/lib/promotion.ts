import {
  compareEnvironments,
  EnvironmentImages,
  EnvironmentStatus,
  LagState,
  PromotionPath,
} from '@deployment-portal/plugin-ecs-deploy-common';

export { compareEnvironments };
export type { EnvironmentImages };

/** The health and images of an entity's environment. */
export function environmentImages(
  status: EnvironmentStatus,
): EnvironmentImages {
  return { health: status.health, images: status.service?.images ?? [] };
}

/** A promotion path's lag state, explained for the user. */
export interface PromotionStanding {
  state: LagState;
  /**
   * For `not-deployed`, the side that is not deployed; for `unknown`, the side whose images are
   * not known (absent when both are known but share no container).
   */
  environment?: string;
  /**
   * Why the Promote button is disabled for the state of the environments; absent when a
   * promotion would change something, or when that is not known (the dialog reads both
   * environments again): the permission check decides.
   */
  disabledReason?: string;
}

/**
 * Explains the lag `state` of `path` (the backend's, or {@link compareEnvironments}'s) with the
 * environments it compared.
 */
export function promotionStanding(
  path: PromotionPath,
  state: LagState,
  environments: Record<string, EnvironmentImages | undefined>,
): PromotionStanding {
  const sides = [path.from, path.to];
  switch (state) {
    case 'level':
      return {
        state,
        disabledReason: `${path.to} already runs ${path.from}'s images.`,
      };
    case 'not-deployed': {
      const environment =
        sides.find(env => environments[env]?.health === 'not-deployed') ??
        path.to;
      return {
        state,
        environment,
        disabledReason: `${environment} is not deployed: nothing to promote.`,
      };
    }
    case 'unknown':
      return {
        state,
        environment: sides.find(env => {
          const cell = environments[env];
          return !cell || cell.health === 'unknown' || !cell.images.length;
        }),
      };
    default:
      return { state };
  }
}

/** {@link promotionStanding} of a path of an entity status, compared here. */
export function entityPromotionStanding(
  path: PromotionPath,
  statuses: EnvironmentStatus[],
): PromotionStanding {
  const environments = Object.fromEntries(
    statuses.map(s => [s.environment, environmentImages(s)]),
  );
  return promotionStanding(
    path,
    compareEnvironments(environments[path.from], environments[path.to]),
    environments,
  );
}
