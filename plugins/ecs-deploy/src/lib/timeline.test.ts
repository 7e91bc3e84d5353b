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
});
