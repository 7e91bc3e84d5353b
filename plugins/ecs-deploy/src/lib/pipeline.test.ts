import { imageDifferences, lastChange, promotionArrow } from './pipeline';
import {
  auditRecord,
  entityStatus,
  envStatus,
  promotionPreview,
  td,
} from '../__testUtils__/fixtures';

const path = { from: 'staging', to: 'prod' };

const record = auditRecord;

describe('lastChange', () => {
  const prod = envStatus('prod');

  it('names who promoted what runs now', () => {
    expect(lastChange(prod, [record({})])).toEqual({
      at: '2026-11-20T10:00:00Z',
      actor: 'user:default/alice',
      action: 'promote',
      from: 'staging',
    });
  });

  it('ignores refused attempts, requests and other revisions: then only the time is known', () => {
    expect(
      lastChange(prod, [
        record({ result: 'rejected' }),
        record({ action: 'request-promotion' }),
        record({ newTaskDefinition: td('prod', 6).arn }),
      ]),
    ).toEqual({ at: '2026-11-20T10:00:00Z' });
  });

  it('calls a rollback the backend made after a failed rollout automatic', () => {
    expect(
      lastChange(prod, [
        record({ action: 'rollback', actor: 'system', causedBy: 'a0' }),
      ]),
    ).toMatchObject({ action: 'automatic-rollback', actor: undefined });
  });

  it('knows nothing of an environment without a service', () => {
    expect(
      lastChange(envStatus('prod', { service: undefined }), [record({})]),
    ).toBeUndefined();
  });
});

describe('imageDifferences', () => {
  it('lists, per container, the connected stages that run another image', () => {
    const differences = imageDifferences('prod', entityStatus().environments, [
      path,
    ]);
    expect([...differences.keys()]).toEqual(['app']);
    expect(differences.get('app')![0].environment).toBe('staging');
    expect(differences.get('app')![0].image.tag).toBe('v1.5.0');
  });

  it('compares nothing without a promotion path between the stages', () => {
    expect(imageDifferences('prod', entityStatus().environments, []).size).toBe(
      0,
    );
  });
});

describe('promotionArrow', () => {
  it('cannot compare when a side could not be read, and leaves Promote to the dialog', () => {
    const statuses = entityStatus([
      envStatus('staging'),
      envStatus('prod', { health: 'unknown', service: undefined }),
    ]).environments;
    expect(promotionArrow(path, statuses)).toEqual({
      kind: 'unknown',
      reasons: ['Cannot compare: no images known for prod'],
      changes: [],
    });
  });

  it('says an approval is needed once, however many blockers say so', () => {
    const state = promotionArrow(
      path,
      entityStatus().environments,
      {
        ...promotionPreview,
        allowed: false,
        blockers: [
          { code: 'approval-required', message: 'prod needs an approval' },
          { code: 'not-permitted', message: 'not allowed' },
        ],
        approval: { required: true, canRequest: true, requestBlockers: [] },
      },
      'team-payments',
    );
    expect(state.kind).toBe('blocked');
    expect(state.reasons).toEqual([
      'needs approval by team-payments: request the promotion',
    ]);
  });

  it('leaves Promote to an admin who may override the freeze window', () => {
    const frozen = {
      ...promotionPreview,
      allowed: false,
      blockers: [
        {
          code: 'freeze-window' as const,
          message: "prod is frozen by 'year-end'",
        },
      ],
    };
    const environments = entityStatus().environments;
    expect(promotionArrow(path, environments, frozen).kind).toBe('blocked');
    expect(
      promotionArrow(path, environments, {
        ...frozen,
        canOverrideFreeze: true,
      }),
    ).toMatchObject({ kind: 'promote', reasons: [] });
  });
});
