import {
  compareEnvironments,
  entityPromotionStanding,
  promotionStanding,
  type EnvironmentImages,
} from './promotion';
import { envStatus } from '../__testUtils__/fixtures';

const path = { from: 'staging', to: 'prod' };

function running(...images: Array<[string, string]>): EnvironmentImages {
  return {
    health: 'healthy',
    images: images.map(([container, image]) => ({ container, image })),
  };
}

const notDeployed: EnvironmentImages = { health: 'not-deployed', images: [] };
const unreadable: EnvironmentImages = { health: 'unknown', images: [] };

describe('compareEnvironments', () => {
  it('is behind when a shared container runs another image', () => {
    expect(
      compareEnvironments(
        running(['app', 'app:2'], ['sidecar', 'envoy:1']),
        running(['app', 'app:1'], ['sidecar', 'envoy:1']),
      ),
    ).toBe('behind');
  });

  it('is level when the shared containers run the same images', () => {
    expect(
      compareEnvironments(
        running(['app', 'app:2'], ['worker', 'worker:2']),
        running(['app', 'app:2']),
      ),
    ).toBe('level');
  });

  it('is not-deployed when either side is not deployed', () => {
    expect(compareEnvironments(notDeployed, running(['app', 'app:1']))).toBe(
      'not-deployed',
    );
    expect(compareEnvironments(running(['app', 'app:1']), notDeployed)).toBe(
      'not-deployed',
    );
  });

  it('is unknown when a side is unreadable or missing, or nothing is shared', () => {
    expect(compareEnvironments(running(['app', 'app:1']), unreadable)).toBe(
      'unknown',
    );
    expect(compareEnvironments(unreadable, notDeployed)).toBe('unknown');
    expect(compareEnvironments(undefined, running(['app', 'app:1']))).toBe(
      'unknown',
    );
    expect(
      compareEnvironments(running(['app', 'app:1']), running(['web', 'web:1'])),
    ).toBe('unknown');
  });
});

describe('promotionStanding', () => {
  it('leaves a target that is behind to the permission check', () => {
    expect(promotionStanding(path, 'behind', {})).toEqual({ state: 'behind' });
  });

  it('disables a target that runs the images of the source', () => {
    expect(promotionStanding(path, 'level', {})).toEqual({
      state: 'level',
      disabledReason: "prod already runs staging's images.",
    });
  });

  it('names the side that is not deployed, the source first', () => {
    expect(
      promotionStanding(path, 'not-deployed', {
        staging: notDeployed,
        prod: notDeployed,
      }),
    ).toEqual({
      state: 'not-deployed',
      environment: 'staging',
      disabledReason: 'staging is not deployed: nothing to promote.',
    });
    expect(
      promotionStanding(path, 'not-deployed', {
        staging: running(['app', 'app:1']),
        prod: notDeployed,
      }),
    ).toMatchObject({
      environment: 'prod',
      disabledReason: 'prod is not deployed: nothing to promote.',
    });
  });

  it('names the side whose images are not known, and disables nothing', () => {
    expect(
      promotionStanding(path, 'unknown', {
        staging: running(['app', 'app:1']),
        prod: unreadable,
      }),
    ).toEqual({ state: 'unknown', environment: 'prod' });
    expect(
      promotionStanding(path, 'unknown', {
        staging: running(['app', 'app:1']),
        prod: running(['web', 'web:1']),
      }),
    ).toEqual({ state: 'unknown', environment: undefined });
  });
});

describe('entityPromotionStanding', () => {
  it('compares the images of the entity environments', () => {
    expect(
      entityPromotionStanding(path, [envStatus('staging'), envStatus('prod')]),
    ).toEqual({ state: 'behind' });
    const staging = envStatus('staging');
    expect(
      entityPromotionStanding(path, [
        staging,
        envStatus('prod', { service: staging.service }),
      ]).disabledReason,
    ).toBe("prod already runs staging's images.");
    expect(
      entityPromotionStanding(path, [
        staging,
        envStatus('prod', { health: 'not-deployed', service: undefined }),
      ]).disabledReason,
    ).toBe('prod is not deployed: nothing to promote.');
  });
});
