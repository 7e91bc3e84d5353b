import { ConfigReader } from '@backstage/config';
import { ecsDeployTestConfig } from '../__testUtils__/ecsFixtures';
import { readEcsDeployConfig } from '.';

function read(extra: object) {
  const warnings: string[] = [];
  const settings = readEcsDeployConfig(
    new ConfigReader(ecsDeployTestConfig('http://ecs.invalid', extra)),
    { warnings: { warn: m => warnings.push(m) } },
  );
  return { settings, warnings };
}

describe('readEcsDeployConfig', () => {
  it('reads durations as Backstage HumanDurations, and defaults without a warning', () => {
    const { settings, warnings } = read({
      cache: { statusTtl: { seconds: 20 }, staleTtl: { hours: 2 } },
      aws: { readDeadline: { seconds: 4 }, writeDeadline: 'PT45S' },
      followThrough: {
        checkInterval: { seconds: 2 },
        verifyTimeout: { minutes: 5 },
      },
      lockTimeout: { minutes: 10 },
      logs: { window: { hours: 6 } },
      promotionPaths: [
        {
          from: 'staging',
          to: 'prod',
          minSourceAge: { minutes: 30 },
          approval: { required: true, expiresAfter: { hours: 8 } },
        },
      ],
    });
    expect(warnings).toEqual([]);
    expect(settings.cache).toMatchObject({
      statusTtlMs: 20_000,
      staleTtlMs: 7_200_000,
      taskDefinitionTtlMs: 7 * 24 * 3_600_000,
      serveWhileRefreshingMs: 60_000,
      refreshAheadMs: 10_000,
      // The claim never outlives the TTL, nor the read it covers.
      refreshClaimMs: 4_000,
    });
    expect(settings).toMatchObject({
      readDeadlineMs: 4_000,
      writeDeadlineMs: 45_000,
      lockTimeoutMs: 600_000,
      followThrough: { checkIntervalMs: 2_000, verifyTimeoutMs: 300_000 },
      logs: { windowMs: 6 * 3_600_000 },
    });
    expect(settings.promotionPaths[0]).toMatchObject({
      minSourceAgeMinutes: 30,
      verifyTimeoutMs: 300_000,
      approval: { expiresAfterMs: 8 * 3_600_000 },
    });
  });

  it('keeps the old number keys working, each with a deprecation warning naming its replacement', () => {
    const { settings, warnings } = read({
      cache: { statusTtlSeconds: 20 },
      aws: { writeDeadlineSeconds: 45 },
      followThrough: { verifyTimeoutMinutes: 5 },
      lockTimeoutSeconds: 600,
      logs: { windowHours: 6 },
      promotionPaths: [
        {
          from: 'staging',
          to: 'prod',
          minSourceAgeMinutes: 30,
          verifyTimeoutMinutes: 7,
          approval: { required: true, expiresAfterHours: 8 },
        },
      ],
    });
    expect(settings.cache.statusTtlMs).toBe(20_000);
    expect(settings.writeDeadlineMs).toBe(45_000);
    expect(settings.lockTimeoutMs).toBe(600_000);
    expect(settings.logs.windowMs).toBe(6 * 3_600_000);
    expect(settings.followThrough.verifyTimeoutMs).toBe(300_000);
    expect(settings.promotionPaths[0]).toMatchObject({
      minSourceAgeMinutes: 30,
      verifyTimeoutMs: 420_000,
      approval: { expiresAfterMs: 8 * 3_600_000 },
    });
    expect(warnings).toEqual([
      'ecsDeploy.followThrough.verifyTimeoutMinutes is deprecated; use ecsDeploy.followThrough.verifyTimeout: { minutes: 5 }',
      'ecsDeploy.aws.writeDeadlineSeconds is deprecated; use ecsDeploy.aws.writeDeadline: { seconds: 45 }',
      'ecsDeploy.lockTimeoutSeconds is deprecated; use ecsDeploy.lockTimeout: { seconds: 600 }',
      'ecsDeploy.promotionPaths[0].minSourceAgeMinutes is deprecated; use ecsDeploy.promotionPaths[0].minSourceAge: { minutes: 30 }',
      'ecsDeploy.promotionPaths[0].verifyTimeoutMinutes is deprecated; use ecsDeploy.promotionPaths[0].verifyTimeout: { minutes: 7 }',
      'ecsDeploy.promotionPaths[0].approval.expiresAfterHours is deprecated; use ecsDeploy.promotionPaths[0].approval.expiresAfter: { hours: 8 }',
      'ecsDeploy.cache.statusTtlSeconds is deprecated; use ecsDeploy.cache.statusTtl: { seconds: 20 }',
      'ecsDeploy.logs.windowHours is deprecated; use ecsDeploy.logs.window: { hours: 6 }',
    ]);
  });

  it('prefers the new key when both are set', () => {
    const { settings, warnings } = read({
      cache: { statusTtl: { seconds: 3 }, statusTtlSeconds: 20 },
    });
    expect(settings.cache.statusTtlMs).toBe(3_000);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      { cache: { statusTtl: { seconds: 0 } } },
      'ecsDeploy.cache.statusTtl must be positive, got 0 ms',
    ],
    [
      { cache: { statusTtl: 'soon' } },
      'ecsDeploy.cache.statusTtl must be a duration like { seconds: 10 }',
    ],
    [
      { followThrough: { checkInterval: { milliseconds: 500 } } },
      'ecsDeploy.followThrough.checkInterval must be at least 1 second',
    ],
    [
      {
        freezeWindows: [
          {
            name: 'x',
            environments: ['prod'],
            weekly: { days: ['fri'], timeZone: 'Mars/Olympus' },
          },
        ],
      },
      "ecsDeploy.freezeWindows[0].weekly.timeZone must be an IANA time zone like Europe/Berlin, got 'Mars/Olympus'",
    ],
    [
      {
        freezeWindows: [
          {
            name: 'x',
            environments: ['prod'],
            weekly: { days: ['fri'], from: '25:00' },
          },
        ],
      },
      "ecsDeploy.freezeWindows[0].weekly.from must be HH:MM, got '25:00'",
    ],
  ])('stops on a bad value, naming the key (%j)', (extra, message) => {
    expect(() => read(extra)).toThrow(message);
  });

  it('reads weekly freeze windows in their time zone (UTC by default)', () => {
    const { settings } = read({
      freezeWindows: [
        {
          name: 'utc',
          environments: ['prod'],
          weekly: { days: ['fri'], from: '22:00', to: '06:00' },
        },
        {
          name: 'berlin',
          environments: ['prod'],
          weekly: { days: ['sat', 'sun'], timeZone: 'Europe/Berlin' },
        },
      ],
    });
    expect(settings.freezeWindows.map(w => w.weekly)).toEqual([
      { days: [5], fromMinutes: 1320, toMinutes: 360, timeZone: 'UTC' },
      {
        days: [6, 0],
        fromMinutes: 0,
        toMinutes: 1440,
        timeZone: 'Europe/Berlin',
      },
    ]);
  });
});
