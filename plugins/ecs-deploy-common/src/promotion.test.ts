import { compareEnvironments, EnvironmentImages } from './promotion';

const env = (
  health: EnvironmentImages['health'],
  ...images: string[]
): EnvironmentImages => ({
  health,
  images: images.map(image => ({ container: 'app', image })),
});

describe('compareEnvironments', () => {
  it.each([
    ['behind', env('healthy', 'r:2'), env('healthy', 'r:1')],
    ['level', env('healthy', 'r:2'), env('progressing', 'r:2')],
    ['not-deployed', env('healthy', 'r:2'), env('not-deployed')],
    ['not-deployed', env('not-deployed'), env('healthy', 'r:1')],
    ['unknown', env('healthy', 'r:2'), env('unknown')],
    ['unknown', undefined, env('healthy', 'r:1')],
    [
      'unknown',
      env('healthy', 'r:1'),
      { health: 'healthy', images: [{ container: 'sidecar', image: 'x' }] },
    ],
  ] as Array<[string, EnvironmentImages | undefined, EnvironmentImages]>)(
    '%s',
    (state, source, target) => {
      expect(compareEnvironments(source, target)).toBe(state);
    },
  );
});
