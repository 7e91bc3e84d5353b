import { timelineItems } from './timeline';
import { auditRecord, envStatus, td } from '../__testUtils__/fixtures';

const base = auditRecord({
  newTaskDefinition: td('prod', 8).arn,
  newImages: [
    { container: 'app', image: 'payments-api:v1.5.0', tag: 'v1.5.0' },
  ],
  reason: 'release',
  createdAt: '2026-11-21T10:00:00Z',
});

describe('timelineItems', () => {
  it('merges deployments, ECS events and our history into the environment, newest first', () => {
    const items = timelineItems(envStatus('prod'), [
      base,
      { ...base, id: 'other', toEnvironment: 'staging' },
    ]);
    expect(items.map(i => [i.source, i.text])).toEqual([
      ['Promotion', 'Promotion from staging by alice succeeded'],
      ['Deployment', 'Deployment of payments-api-prod:7 completed'],
      ['ECS event', 'Service has reached a steady state.'],
      ['Deployment', 'Deployment of payments-api-prod:7 started (v1.4.0)'],
    ]);
    expect(items[0].detail).toBe('to v1.5.0; reason: release');
  });

  it('tells the outcome the backend followed, and automatic rollbacks', () => {
    const items = timelineItems(envStatus('prod', { service: undefined }), [
      {
        ...base,
        id: 'rb',
        action: 'rollback',
        actor: 'system',
        causedBy: 'a1',
        outcome: 'rolled-out',
        outcomeAt: '2026-11-21T10:09:00Z',
      },
      {
        ...base,
        outcome: 'rolled-back-automatically',
        outcomeAt: '2026-11-21T10:08:00Z',
        outcomeMessage: 'circuit breaker: tasks failed to start',
      },
      {
        ...base,
        id: 'rq',
        action: 'request-promotion',
        createdAt: '2026-11-21T09:00:00Z',
      },
    ]);
    expect(items.map(i => [i.text, i.status, i.at])).toEqual([
      ['Automatic rollback rolled out', 'ok', '2026-11-21T10:09:00Z'],
      [
        'Promotion from staging by alice failed and was rolled back automatically',
        'error',
        '2026-11-21T10:08:00Z',
      ],
      [
        'Promotion from staging requested by alice',
        'ok',
        '2026-11-21T09:00:00Z',
      ],
    ]);
    expect(items[1].detail).toContain('circuit breaker: tasks failed to start');
  });

  it('says who held, continued or aborted a deployment or a held verification, and who skipped a bake', () => {
    const at = (minute: number) => `2026-11-21T10:${minute}:00Z`;
    const items = timelineItems(
      envStatus('prod', { service: undefined }),
      (
        [
          ['hold', 'user:default/alice', 'succeeded'],
          ['skip-bake', 'user:default/dave', 'succeeded'],
          ['continue', 'user:default/alice', 'succeeded'],
          ['abort', 'user:default/bob', 'succeeded'],
          ['continue-verification', 'user:default/alice', 'succeeded'],
          ['abort-verification', 'user:default/carol', 'denied'],
          ['reverify', 'user:default/bob', 'succeeded'],
        ] as const
      ).map(([action, actor, result], i) => ({
        ...base,
        id: action,
        action,
        actor,
        result,
        newImages: [],
        reason: undefined,
        createdAt: at(50 - i),
      })),
    );
    expect(items.map(i => [i.source, i.text, i.status])).toEqual([
      ['Control', 'Deployment held by alice', 'ok'],
      ['Control', 'Bake skipped by dave', 'ok'],
      ['Control', 'Deployment continued by alice', 'ok'],
      ['Control', 'Deployment aborted by bob', 'ok'],
      ['Verification', 'Held verification continued by alice', 'ok'],
      ['Verification', 'Held verification aborted by carol denied', 'aborted'],
      ['Verification', 'Verified again by bob', 'ok'],
    ]);
  });
});
