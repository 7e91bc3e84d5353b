import { Deployment, Service } from '@aws-sdk/client-ecs';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { deriveHealth } from './health';
import { summarizeService } from './summarize';

const deployment = (d: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/n',
  status: 'PRIMARY',
  taskDefinition: tdArn('a-prod', 2),
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  failedTasks: 0,
  createdAt: new Date('2026-11-02T00:00:00Z'),
  ...d,
});
const at = (iso: string) => new Date(iso);

const cases: Array<[string, Partial<Service>, string, string[]]> = [
  ['completed rollout, all tasks running', {}, 'healthy', []],
  [
    'rollout in progress',
    {
      deployments: [
        deployment({
          rolloutState: 'IN_PROGRESS',
          runningCount: 1,
          pendingCount: 1,
        }),
        deployment({
          id: 'o',
          status: 'ACTIVE',
          taskDefinition: tdArn('a-prod'),
          rolloutState: 'COMPLETED',
          desiredCount: 1,
          runningCount: 1,
        }),
      ],
    },
    'progressing',
    [],
  ],
  [
    'circuit breaker tripped, failed deployment still primary (rollback off)',
    {
      deployments: [
        deployment({
          rolloutState: 'FAILED',
          rolloutStateReason:
            'ECS deployment circuit breaker: tasks failed to start.',
          runningCount: 0,
          failedTasks: 4,
        }),
      ],
    },
    'failed',
    ['circuit-breaker-tripped'],
  ],
  [
    'circuit breaker tripped, ECS rolling back (failed deployment still listed)',
    {
      deployments: [
        deployment({
          id: 'r',
          taskDefinition: tdArn('a-prod'),
          rolloutState: 'IN_PROGRESS',
          createdAt: at('2026-11-02T00:03:00Z'),
        }),
        deployment({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason:
            'ECS deployment circuit breaker: tasks failed to start.',
          runningCount: 0,
          failedTasks: 3,
        }),
      ],
    },
    'degraded',
    ['circuit-breaker-tripped'],
  ],
  [
    'circuit breaker tripped and ECS rolled back (only the events tell)',
    {
      deployments: [
        deployment({
          id: 'r',
          taskDefinition: tdArn('a-prod'),
          rolloutState: 'COMPLETED',
          createdAt: at('2026-11-02T00:03:01Z'),
        }),
      ],
      events: [
        {
          id: '4',
          createdAt: at('2026-11-02T00:04:00Z'),
          message: '(service a) has reached a steady state.',
        },
        {
          id: '3',
          createdAt: at('2026-11-02T00:03:00Z'),
          message: '(service a) rolling back to deployment ecs-svc/1.',
        },
        {
          id: '2',
          createdAt: at('2026-11-02T00:02:59Z'),
          message:
            '(service a) (deployment ecs-svc/n) deployment failed: tasks failed to start.',
        },
      ],
    },
    'degraded',
    ['circuit-breaker-tripped'],
  ],
  [
    'an old rollback is history once a newer deployment completed',
    {
      deployments: [
        deployment({
          id: 'x',
          createdAt: at('2026-11-03T00:00:00Z'),
          rolloutState: 'COMPLETED',
        }),
      ],
      events: [
        {
          id: '3',
          createdAt: at('2026-11-02T00:03:00Z'),
          message: '(service a) rolling back to deployment ecs-svc/1.',
        },
        {
          id: '2',
          createdAt: at('2026-11-02T00:02:59Z'),
          message:
            '(service a) (deployment ecs-svc/n) deployment failed: tasks failed to start.',
        },
      ],
    },
    'healthy',
    [],
  ],
  [
    'unable to place tasks',
    {
      runningCount: 0,
      deployments: [
        deployment({ rolloutState: 'IN_PROGRESS', runningCount: 0 }),
      ],
      events: [
        {
          id: 'e',
          createdAt: at('2026-11-02T00:01:00Z'),
          message:
            '(service a) was unable to place a task because no container instance met all of its requirements.',
        },
      ],
    },
    'failed',
    ['unable-to-place-tasks'],
  ],
  [
    'tasks failing to start (failed task count)',
    {
      runningCount: 1,
      deployments: [
        deployment({
          rolloutState: 'IN_PROGRESS',
          runningCount: 1,
          failedTasks: 3,
        }),
      ],
    },
    'degraded',
    ['tasks-failing-to-start'],
  ],
  [
    'health checks failing (event)',
    {
      events: [
        {
          id: 'e',
          createdAt: at('2026-11-02T00:00:00Z'),
          message: '(service a) (task 123) failed container health checks.',
        },
      ],
    },
    'degraded',
    ['health-check-failing'],
  ],
  [
    'old events from an earlier deployment are ignored',
    {
      events: [
        {
          id: 'e',
          createdAt: at('2026-10-01T00:00:00Z'),
          message: '(service a) was unable to place a task.',
        },
      ],
    },
    'healthy',
    [],
  ],
  [
    'fewer tasks than desired after a completed rollout',
    { runningCount: 1 },
    'degraded',
    ['insufficient-tasks'],
  ],
  [
    'a draining service',
    { status: 'DRAINING' },
    'degraded',
    ['service-inactive'],
  ],
];

describe('deriveHealth', () => {
  it.each(cases)('%s', (_label, overrides, health, codes) => {
    const service = serviceShape('a', 'test-prod', overrides);
    const tds = {
      [tdArn('a-prod')]: taskDefinitionShape('a-prod'),
      [tdArn('a-prod', 2)]: taskDefinitionShape('a-prod', 2),
    };
    const result = deriveHealth(summarizeService(service, tds));
    expect(result.health).toBe(health);
    expect(result.problems.map(p => p.code)).toEqual(codes);
    for (const p of result.problems) {
      expect(p.fix.length).toBeGreaterThan(20);
      expect(p.message.length).toBeGreaterThan(5);
    }
  });

  it('finds image pull errors in stopped tasks', () => {
    const summary = summarizeService(
      serviceShape('a', 'test-prod', { runningCount: 0 }),
      {},
    );
    const result = deriveHealth(summary, [
      {
        lastStatus: 'STOPPED',
        stoppedReason:
          'CannotPullContainerError: pull image manifest has been retried 5 time(s): ghcr.io/acme/a:9.9.9: not found',
        containers: [{ name: 'app' }],
      },
    ]);
    expect(result.health).toBe('failed');
    expect(result.problems[0]).toMatchObject({
      code: 'image-pull-error',
      severity: 'error',
    });
  });

  it('names the failing tasks, from stopped tasks and from events, so their logs can be opened', () => {
    const summary = summarizeService(
      serviceShape('a', 'test-prod', {
        runningCount: 1,
        events: [
          {
            id: 'e1',
            createdAt: at('2026-11-03T00:00:00Z'),
            message:
              '(service a) (task 0f1e2d) failed container health checks.',
          },
        ],
      }),
      {},
    );
    const stopped = (id: string, reason: string) => ({
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/test-prod/${id}`,
      lastStatus: 'STOPPED',
      stoppedReason: reason,
      containers: [{ name: 'app', reason }],
    });
    const result = deriveHealth(summary, [
      stopped('aaa111', 'Task failed container health checks'),
      stopped(
        'bbb222',
        'CannotPullContainerError: ghcr.io/acme/a:9: not found',
      ),
      stopped(
        'ccc333',
        'CannotPullContainerError: ghcr.io/acme/a:9: not found',
      ),
    ]);
    const byCode = Object.fromEntries(
      result.problems.map(p => [p.code, p.taskIds]),
    );
    expect(byCode['health-check-failing']).toEqual(['0f1e2d', 'aaa111']);
    expect(byCode['image-pull-error']).toEqual(['bbb222', 'ccc333']);
  });

  it('calls a missing service not deployed', () => {
    expect(deriveHealth(undefined)).toEqual({
      health: 'not-deployed',
      problems: [],
    });
  });
});
