import { screen, within } from '@testing-library/react';
import type { AuditRecord } from '@deployment-portal/plugin-ecs-deploy-common';
import { HistoryTable } from './HistoryTable';
import { entityRef, mockEcsDeployApi } from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const row = (id: string, overrides: Partial<AuditRecord>): AuditRecord => ({
  id,
  action: 'promote',
  entityRef,
  actor: 'user:default/alice',
  fromEnvironment: 'staging',
  toEnvironment: 'prod',
  previousImages: [],
  newImages: [],
  result: 'succeeded',
  createdAt: '2026-11-30T10:00:00Z',
  ...overrides,
});

describe('HistoryTable', () => {
  it('shows where each followed rollout ended, how long it took, and why on hover', async () => {
    renderEcs(
      <HistoryTable
        items={[
          row('a', { outcome: 'in-progress' }),
          row('b', {
            outcome: 'rolled-out',
            durationMs: 12_400,
            outcomeMessage:
              'prod runs payments-api-prod:8: 2 of 2 tasks running',
          }),
          row('c', {
            outcome: 'rolled-back-automatically',
            durationMs: 185_000,
            outcomeMessage: 'The deployment of payments-api-prod:9 failed',
          }),
          row('d', {
            action: 'rollback',
            actor: 'system',
            causedBy: 'c',
            fromEnvironment: undefined,
            outcome: 'failed',
            durationMs: 900_000,
          }),
          row('e', { result: 'denied' }),
        ]}
      />,
      { api: mockEcsDeployApi() },
    );
    const rows = (await screen.findAllByRole('row')).slice(1);
    const outcomes = rows.map(r => within(r).getAllByRole('cell')[4]);
    expect(outcomes.map(c => c.textContent)).toEqual([
      'Rolling out…',
      'Rolled out after 12 s',
      'Rolled back automatically after 3 min 5 s',
      'Failed after 15 min 0 s',
      '—',
    ]);
    expect(
      within(outcomes[1]).getByText('Rolled out after 12 s'),
    ).toHaveAttribute(
      'title',
      'prod runs payments-api-prod:8: 2 of 2 tasks running',
    );
  });
});
