import { isSameImage } from './rules/images';
import type { ContainerImage, HealthState, LagState } from './types';

/** What a promotion compares of one environment (a team view cell has this shape). @public */
export interface EnvironmentImages {
  health: HealthState;
  images: ContainerImage[];
}

/**
 * How a promotion target compares with its source, on the containers they share: `behind` when
 * the target runs other images, `level` when the same, `not-deployed` when either side has no
 * service, `unknown` when either side could not be read or they share no container. The backend
 * computes the team view's lags with it; the entity card compares with it too.
 *
 * @public
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
  return shared.some(i => !isSameImage(sourceImages.get(i.container)!, i.image))
    ? 'behind'
    : 'level';
}
