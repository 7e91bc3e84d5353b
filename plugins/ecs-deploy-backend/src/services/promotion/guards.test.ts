import { ConfigReader } from '@backstage/config';
import { GuardResult } from '@internal/plugin-ecs-deploy-common';
import { readEcsDeployConfig } from '../../config';
import { ecsDeployTestConfig } from '../../__testUtils__/ecsFixtures';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { toServiceState } from '../status/summarize';
import { promotionGuards, rollbackGuards, Side } from './guards';

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
const path = { from: 'staging', to: 'prod', requireHealthySource: true };
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
];

describe('promotionGuards', () => {
  // Every row has four cells, so jest never mistakes a missing one for its `done` callback.
  it.each(cases.map(([l, i, c, m]) => [l, i, c, m ?? null] as const))(
    '%s',
    (_label, input, codes, message) => {
      const guards = promotionGuards({
        path: { ...path, requireHealthySource: input.healthy ?? true },
        source: input.source,
        target: input.target,
        expectedTarget: input.expected,
        sourceImages: input.sourceImages,
        freezeWindows: settings.freezeWindows,
        now: input.now ?? NOW,
      });
      expect(guards.map(g => g.code)).toEqual(codes);
      if (message)
        expect(guards.map(g => g.message).join(' | ')).toMatch(message);
    },
  );
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
  ] as Array<[string, { target: Side; previous?: typeof previous; expected?: string; now?: Date }, string[]]>)(
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
