import { describeRollout, rolloutReason } from './rollout';
import { envStatus, prodRollingOut } from '../__testUtils__/fixtures';

describe('rolloutReason', () => {
  it.each([
    ['ECS deployment ecs-svc/6686028745123 in progress.', 'in progress'],
    [
      'ECS deployment circuit breaker: tasks failed to start.',
      'circuit breaker: tasks failed to start',
    ],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (raw, expected) => {
    expect(rolloutReason(raw)).toBe(expected);
  });
});

describe('describeRollout', () => {
  it('is steady with one completed deployment', () => {
    expect(describeRollout(envStatus('prod').service!)).toEqual({
      kind: 'steady',
      phrase: 'Rollout of payments-api-prod:7 complete',
    });
  });

  it('is rolling with the new deployment’s share of running tasks', () => {
    const service = prodRollingOut(8, 'IN_PROGRESS').environments[1].service!;
    service.deployments[0].runningCount = 1;
    expect(describeRollout(service)).toEqual({
      kind: 'rolling',
      phrase:
        'Rolling out payments-api-prod:8, replacing payments-api-prod:7: 1 of 2 new tasks running',
      progress: 50,
    });
  });

  it('is rolling when older deployments remain even without a rollout state', () => {
    const service = prodRollingOut(8, 'IN_PROGRESS').environments[1].service!;
    service.rolloutState = undefined;
    service.deployments[0].rolloutState = undefined;
    expect(describeRollout(service).kind).toBe('rolling');
  });

  it('is failed with the reason in words', () => {
    const service = prodRollingOut(
      8,
      'FAILED',
      'ECS deployment circuit breaker: tasks failed to start.',
    ).environments[1].service!;
    expect(describeRollout(service)).toEqual({
      kind: 'failed',
      phrase:
        'Rollout of payments-api-prod:8 failed: circuit breaker: tasks failed to start',
    });
  });

  it('says when the service is not active', () => {
    const service = { ...envStatus('prod').service!, status: 'DRAINING' };
    expect(describeRollout(service)).toEqual({
      kind: 'inactive',
      phrase: 'Service is draining',
    });
  });
});
