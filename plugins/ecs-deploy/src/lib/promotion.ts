import type {
  ContainerImage,
  EnvironmentStatus,
  HealthState,
  LagState,
  PromotionPath,
} from '@internal/plugin-ecs-deploy-common';

/**
 * What a promotion compares of one environment: a team view cell has this shape, an entity
 * status gives it through {@link environmentImages}.
 */
export interface EnvironmentImages {
  health: HealthState;
  images: ContainerImage[];
}

/** The health and images of an entity's environment. */
export function environmentImages(
  status: EnvironmentStatus,
): EnvironmentImages {
  return { health: status.health, images: status.service?.images ?? [] };
}

/**
 * How a promotion target compares with its source on the containers they share, as the
 * backend computes `TeamServiceRow.lags` for the team view; the entity status carries no lag,
 * so the entity card compares here.
 */
export function compareEnvironments(
  source: EnvironmentImages | undefined,
  target: EnvironmentImages | undefined,
): LagState {
  if (
    !source ||
    !target ||
    source.health === 'unknown' ||
    target.health === 'unknown'
  ) {
    return 'unknown';
  }
  if (source.health === 'not-deployed' || target.health === 'not-deployed') {
    return 'not-deployed';
  }
  const sourceImages = new Map(source.images.map(i => [i.container, i.image]));
  const shared = target.images.filter(i => sourceImages.has(i.container));
  if (shared.length === 0) {
    return 'unknown';
  }
  return shared.some(i => sourceImages.get(i.container) !== i.image)
    ? 'behind'
    : 'level';
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
        disabledReason: `${path.to} already runs the images of ${path.from}.`,
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
