import { Deployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { ConfigReader } from '@backstage/config';
import { readEcsDeployConfig } from '../../config';
import { ecsDeployTestConfig } from '../../__testUtils__/ecsFixtures';
import {
  serviceShape,
  taskDefinitionShape,
  tdArn,
} from '../../__testUtils__/ecsShapes';
import { toServiceState } from '../status/summarize';
import type { StateResult } from '../status/types';
import { decideRollout, RolloutDecision } from './decideRollout';

const [, prod] = readEcsDeployConfig(
  new ConfigReader(ecsDeployTestConfig('http://ecs.invalid')),
).environments;
const STARTED = new Date('2026-11-30T12:00:00Z');
const DEADLINE = new Date('2026-11-30T12:15:00Z');
const DURING = new Date('2026-11-30T12:01:00Z');
const LATE = new Date('2026-11-30T12:16:00Z');
const OLD = tdArn('a-prod', 1);
const NEW = tdArn('a-prod', 2);
const at = (minutes: number) => new Date(STARTED.getTime() + minutes * 60_000);

function deployment(
  taskDefinition: string,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    id: `ecs-svc/${taskDefinition.slice(-1)}`,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'COMPLETED',
    createdAt: STARTED,
    updatedAt: at(1),
    ...overrides,
  };
}

/** A fresh read of prod on `taskDefinition` with these deployments and events. */
function read(
  taskDefinition: string,
  deployments: Deployment[],
  events: ServiceEvent[] = [],
): StateResult {
  return {
    state: toServiceState(
      prod,
      {
        service: serviceShape('a', prod.cluster, {
          taskDefinition,
          deployments,
          events,
        }),
        taskDefinitions: {
          [OLD]: taskDefinitionShape('a-prod', 1),
          [NEW]: taskDefinitionShape('a-prod', 2),
        },
      },
      DURING.toISOString(),
    ),
  };
}

const event = (minutes: number, message: string): ServiceEvent => ({
  id: String(minutes),
  createdAt: at(minutes),
  message,
});
const rollingOut = read(NEW, [
  deployment(NEW, { rolloutState: 'IN_PROGRESS', runningCount: 1 }),
  deployment(OLD, { status: 'ACTIVE', runningCount: 1 }),
]);
const breakerEvents = [
  event(2, '(service a) rolling back to deployment ecs-svc/1.'),
  event(
    1.9,
    '(service a) (deployment ecs-svc/2) deployment failed: tasks failed to start.',
  ),
];

type Case = [
  string,
  { read?: StateResult; now?: Date; unknownWrite?: boolean },
  Partial<RolloutDecision>,
  RegExp?,
];

const cases: Case[] = [
  ['still rolling out', { read: rollingOut }, { kind: 'wait', applied: true }],
  [
    'COMPLETED with every task running',
    { read: read(NEW, [deployment(NEW)]) },
    { kind: 'rolled-out' },
    /prod runs a-prod:2: 2 of 2 tasks running/,
  ],
  [
    'COMPLETED but a task short: not yet',
    { read: read(NEW, [deployment(NEW, { runningCount: 1 })]) },
    { kind: 'wait' },
  ],
  [
    'its deployment FAILED (circuit breaker without rollback)',
    {
      read: read(NEW, [
        deployment(NEW, {
          rolloutState: 'FAILED',
          rolloutStateReason:
            'ECS deployment circuit breaker: tasks failed to start.',
          runningCount: 0,
        }),
      ]),
    },
    { kind: 'failed', rollBack: true, applied: true },
    /deployment of a-prod:2 failed: ECS deployment circuit breaker/,
  ],
  [
    'ECS rolling back: the failed deployment still listed',
    {
      read: read(
        OLD,
        [
          deployment(OLD, { rolloutState: 'IN_PROGRESS' }),
          deployment(NEW, {
            status: 'ACTIVE',
            rolloutState: 'FAILED',
            rolloutStateReason: 'tasks failed to start.',
          }),
        ],
        breakerEvents,
      ),
    },
    { kind: 'failed', rollBack: true },
  ],
  [
    'ECS rolled back and the failed deployment is gone: the events tell',
    { read: read(OLD, [deployment(OLD)], breakerEvents) },
    { kind: 'failed', rollBack: true, applied: true },
    /ECS stopped the rollout of a-prod:2: .*rolling back to deployment/,
  ],
  [
    'a circuit breaker before this rollout is not its failure',
    {
      read: read(
        OLD,
        [deployment(OLD)],
        [event(-10, '(service a) rolling back to deployment ecs-svc/0.')],
      ),
    },
    { kind: 'failed', rollBack: false },
    /prod moved on to a-prod:1 before a-prod:2 finished rolling out/,
  ],
  [
    'past the deadline, still rolling out',
    { read: rollingOut, now: LATE },
    { kind: 'failed', rollBack: true },
    /prod was not healthy within 15 min: 1 of 2 tasks running/,
  ],
  [
    'ECS unreadable: wait',
    { read: { error: { name: 'prod', message: 'timeout' } } },
    { kind: 'wait' },
  ],
  [
    'ECS unreadable past the deadline: failed, nothing to roll back with',
    {
      read: { error: { name: 'prod', message: 'timeout' } },
      now: LATE,
    },
    { kind: 'failed', rollBack: false },
    /Could not read prod to verify the rollout within 15 min: timeout/,
  ],
  [
    'a stale copy is not a read',
    { read: { ...read(NEW, [deployment(NEW)]), stale: true } },
    { kind: 'wait' },
  ],
  [
    'the service is gone',
    { read: { state: { ...rollingOut.state!, summary: undefined } } },
    { kind: 'failed', rollBack: false },
    /no longer exists/,
  ],
  [
    'an unknown write, shown applied',
    { read: rollingOut, unknownWrite: true },
    { kind: 'wait', applied: true },
  ],
  [
    'an unknown write not shown yet, just after it was cut off',
    {
      read: read(OLD, [deployment(OLD)]),
      unknownWrite: true,
      now: new Date(STARTED.getTime() + 5_000),
    },
    { kind: 'wait', applied: false },
  ],
  [
    'an unknown write ECS never applied',
    { read: read(OLD, [deployment(OLD)]), unknownWrite: true },
    { kind: 'not-applied' },
    /AWS did not apply the update to a-prod:2: prod still runs a-prod:1/,
  ],
];

describe('decideRollout', () => {
  // Every row has four cells (no message: any), so jest never mistakes one for `done`.
  it.each(cases.map(([l, i, d, m]) => [l, i, d, m ?? /(?:)/] as const))(
    '%s',
    (_label, input, decision, message) => {
      const result = decideRollout({
        environment: 'prod',
        expected: NEW,
        startedAt: STARTED,
        deadline: DEADLINE,
        unknownWrite: input.unknownWrite ?? false,
        read: input.read,
        now: input.now ?? DURING,
      });
      expect(result).toMatchObject(decision);
      expect((result as { message?: string }).message ?? '').toMatch(message);
    },
  );
});
