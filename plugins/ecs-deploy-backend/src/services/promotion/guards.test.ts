import { ConfigReader } from '@backstage/config';
import { GuardResult } from '@deployment-portal/plugin-ecs-deploy-common';
import { PromotionPathConfig, readEcsDeployConfig } from '../../config';
import { ecsDeployTestConfig } from '../../__testUtils__/ecsFixtures';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { toServiceState } from '../status/summarize';
import { promotionGuards, rollbackGuards, Side, soakStatus } from './guards';

const settings = readEcsDeployConfig(
  new ConfigReader(
    ecsDeployTestConfig('http://ecs.invalid', {
      freezeWindows: [
        {
          name: 'year-end',
          environments: ['prod'],
          start: '2026-12-20T00:00:00Z',
          end: '2027-01-04T00:00:00Z',
          reason: 'change freeze',
        },
      ],
    }),
  ),
);
const [stagingEnv, prodEnv] = settings.environments;
const path: PromotionPathConfig = {
  ...settings.promotionPaths[0],
  requireHealthySource: true,
};
const NOW = new Date('2026-11-30T12:00:00Z');
const FROZEN = new Date('2026-12-24T12:00:00Z');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** A side whose service runs `image` (undefined: not deployed), with ECS fields overridden. */
function side(
  env: typeof stagingEnv,
  image: string | undefined,
  overrides = {},
  revision = 1,
): Side {
  const family = `a-${env.name}`;
  const service = image
    ? serviceShape('a', env.cluster, {
        taskDefinition: tdArn(family, revision),
        ...overrides,
      })
    : undefined;
  const td = taskDefinitionShape(family, revision, image);
  return {
    env,
    serviceName: 'a',
    state: toServiceState(
      env,
      {
        service,
        taskDefinitions: { [tdArn(family, revision)]: td, [tdArn(family)]: td },
      },
      NOW.toISOString(),
    ),
  };
}

const rollingOut = {
  deployments: [
    {
      id: 'n',
      status: 'PRIMARY',
      taskDefinition: tdArn('a-staging'),
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment ecs-svc/n in progress.',
      desiredCount: 2,
      runningCount: 1,
      pendingCount: 1,
      failedTasks: 0,
    },
    {
      id: 'o',
      status: 'ACTIVE',
      taskDefinition: tdArn('a-staging'),
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      failedTasks: 0,
    },
  ],
};
/** Staging's one deployment, COMPLETED at `at`. */
const completedAt = (at: string) => ({
  deployments: [
    {
      id: 'n',
      status: 'PRIMARY',
      taskDefinition: tdArn('a-staging'),
      rolloutState: 'COMPLETED',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: new Date(Date.parse(at) - 60_000),
      updatedAt: new Date(at),
    },
  ],
});
const failed = {
  deployments: [
    {
      id: 'n',
      status: 'PRIMARY',
      taskDefinition: tdArn('a-staging'),
      rolloutState: 'FAILED',
      rolloutStateReason:
        'ECS deployment circuit breaker: tasks failed to start.',
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 3,
    },
  ],
};

type Case = [
  string,
  {
    source: Side;
    target: Side;
    expected?: string;
    now?: Date;
    healthy?: boolean;
    sourceImages?: Map<string, string>;
    path?: Partial<PromotionPathConfig>;
    approved?: boolean;
    overrideFreeze?: boolean;
  },
  GuardResult['code'][],
  RegExp?,
];

const cases: Case[] = [
  [
    'staging ahead of prod: allowed',
    { source: side(stagingEnv, 'r/a:2'), target: side(prodEnv, 'r/a:1') },
    [],
  ],
  [
    'prod already runs the image',
    { source: side(stagingEnv, 'r/a:2'), target: side(prodEnv, 'r/a:2') },
    ['already-running'],
    /prod already runs staging's images \(r\/a:2\)/,
  ],
  [
    'prod runs the pinned digest of the same tag',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, `r/a:2@${digest('a')}`),
    },
    ['already-running'],
  ],
  [
    'staging re-pushed the tag: digests differ, so it is a change',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, `r/a:2@${digest('a')}`),
      sourceImages: new Map([['app', `r/a:2@${digest('b')}`]]),
    },
    [],
  ],
  [
    'no shared container',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: {
        ...side(prodEnv, 'r/a:1'),
        state: {
          ...side(prodEnv, 'r/a:1').state,
          summary: {
            ...side(prodEnv, 'r/a:1').state.summary!,
            images: [{ container: 'web', image: 'r/w:1' }],
          },
        },
      },
    },
    ['already-running'],
    /namesake/,
  ],
  [
    'staging not deployed',
    { source: side(stagingEnv, undefined), target: side(prodEnv, 'r/a:1') },
    ['not-deployed'],
    /a is not deployed in staging/,
  ],
  [
    'prod not deployed',
    { source: side(stagingEnv, 'r/a:2'), target: side(prodEnv, undefined) },
    ['not-deployed'],
    /not deployed in prod/,
  ],
  [
    'staging still rolling out',
    {
      source: side(stagingEnv, 'r/a:2', rollingOut),
      target: side(prodEnv, 'r/a:1'),
    },
    ['source-rolling-out'],
    /still rolling out \(ECS deployment ecs-svc\/n in progress\.\)/,
  ],
  [
    'staging failed',
    {
      source: side(stagingEnv, 'r/a:2', failed),
      target: side(prodEnv, 'r/a:1'),
    },
    ['source-not-healthy'],
    /staging is failed/,
  ],
  [
    'staging failed but the path does not require health',
    {
      source: side(stagingEnv, 'r/a:2', failed),
      target: side(prodEnv, 'r/a:1'),
      healthy: false,
    },
    [],
  ],
  [
    'prod changed since the caller looked',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1', {}, 3),
      expected: tdArn('a-prod', 2),
    },
    ['target-changed'],
    /now runs a-prod:3, you saw a-prod:2/,
  ],
  [
    'the caller saw the current prod',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1', {}, 3),
      expected: tdArn('a-prod', 3),
    },
    [],
  ],
  [
    'prod frozen',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1'),
      now: FROZEN,
    },
    ['freeze-window'],
    /frozen by 'year-end' until 2027-01-04T00:00:00.000Z \(change freeze\)/,
  ],
  [
    'frozen and level: every reason, the freeze first',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:2'),
      now: FROZEN,
    },
    ['freeze-window', 'already-running'],
  ],
  [
    'prod frozen, an admin overrides the freeze',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1'),
      now: FROZEN,
      overrideFreeze: true,
    },
    [],
  ],
  [
    'staging has run the images 18 of the 30 minutes the path requires',
    {
      source: side(stagingEnv, 'r/a:2', completedAt('2026-11-30T11:42:00Z')),
      target: side(prodEnv, 'r/a:1'),
      path: { minSourceAgeMinutes: 30 },
    },
    ['soak-time'],
    /^soak: 12 min left \(staging must run its images for 30 min before they go to prod\)$/,
  ],
  [
    'staging has soaked long enough',
    {
      source: side(stagingEnv, 'r/a:2', completedAt('2026-11-30T11:29:00Z')),
      target: side(prodEnv, 'r/a:1'),
      path: { minSourceAgeMinutes: 30 },
    },
    [],
  ],
  [
    'the path needs an approval and none was given',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1'),
      path: { approval: { expiresAfterMs: 3_600_000 } },
    },
    ['approval-required'],
    /Promotions to prod need an approval: request one/,
  ],
  [
    'the path needs an approval and this promotion carries one out',
    {
      source: side(stagingEnv, 'r/a:2'),
      target: side(prodEnv, 'r/a:1'),
      path: { approval: { expiresAfterMs: 3_600_000 } },
      approved: true,
    },
    [],
  ],
];

describe('promotionGuards', () => {
  // Every row has four cells, so jest never mistakes a missing one for its `done` callback.
  it.each(cases.map(([l, i, c, m]) => [l, i, c, m ?? /(?:)/] as const))(
    '%s',
    (_label, input, codes, message) => {
      const guards = promotionGuards({
        path: {
          ...path,
          requireHealthySource: input.healthy ?? true,
          ...input.path,
        },
        source: input.source,
        target: input.target,
        expectedTarget: input.expected,
        sourceImages: input.sourceImages,
        freezeWindows: settings.freezeWindows,
        now: input.now ?? NOW,
        approved: input.approved,
        overrideFreeze: input.overrideFreeze,
      });
      expect(guards.map(g => g.code)).toEqual(codes);
      expect(guards.map(g => g.message).join(' | ')).toMatch(message);
    },
  );
});

describe('soakStatus', () => {
  const soaking = { ...path, minSourceAgeMinutes: 30 };
  const inProgress = completedAt('2026-11-30T11:50:00Z').deployments[0];
  it.each([
    ['completed 18 min ago', 12, completedAt('2026-11-30T11:42:00Z')],
    [
      'completed 29 min 30 s ago: a started minute counts',
      1,
      completedAt('2026-11-30T11:30:30Z'),
    ],
    ['completed 31 min ago', 0, completedAt('2026-11-30T11:29:00Z')],
    [
      'still rolling out, started 11 min ago: counts from its start',
      19,
      { deployments: [{ ...inProgress, rolloutState: 'IN_PROGRESS' }] },
    ],
  ])('%s → %i min left', (_label, left, overrides) => {
    const status = soakStatus(
      soaking,
      side(stagingEnv, 'r/a:2', overrides),
      NOW,
    );
    expect(status?.remainingMinutes).toBe(left);
    expect(status?.minSourceAgeMinutes).toBe(30);
  });

  it('is absent without a soak time', () => {
    expect(soakStatus(path, side(stagingEnv, 'r/a:2'), NOW)).toBeUndefined();
  });
});

describe('rollbackGuards', () => {
  const previous = { arn: tdArn('a-prod', 1), family: 'a-prod', revision: 1 };
  it.each([
    [
      'a recorded previous revision: allowed',
      { target: side(prodEnv, 'r/a:2', {}, 2), previous },
      [],
    ],
    [
      'nothing recorded',
      { target: side(prodEnv, 'r/a:2', {}, 2) },
      ['no-previous-revision'],
    ],
    [
      'not deployed',
      { target: side(prodEnv, undefined), previous },
      ['not-deployed'],
    ],
    [
      'changed since the caller looked',
      {
        target: side(prodEnv, 'r/a:2', {}, 2),
        previous,
        expected: tdArn('a-prod', 1),
      },
      ['target-changed'],
    ],
    [
      'frozen',
      { target: side(prodEnv, 'r/a:2', {}, 2), previous, now: FROZEN },
      ['freeze-window'],
    ],
    [
      'frozen, the backend rolls back automatically',
      {
        target: side(prodEnv, 'r/a:2', {}, 2),
        previous,
        now: FROZEN,
        overrideFreeze: true,
      },
      [],
    ],
  ] as Array<[string, { target: Side; previous?: typeof previous; expected?: string; now?: Date; overrideFreeze?: boolean }, string[]]>)(
    '%s',
    (_label, input, codes) => {
      expect(
        rollbackGuards({
          ...input,
          freezeWindows: settings.freezeWindows,
          now: input.now ?? NOW,
        }).map(g => g.code),
      ).toEqual(codes);
    },
  );
});
