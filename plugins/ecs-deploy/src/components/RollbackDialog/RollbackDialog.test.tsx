import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RollbackDialog } from './RollbackDialog';
import {
  entityRef,
  mockEcsDeployApi,
  outcome,
  prodRollingOut,
  responseError,
  rollbackPreview,
  td,
} from '../../__testUtils__/fixtures';
import { confirmDialog, renderEcs } from '../../__testUtils__/render';

function renderDialog(api = mockEcsDeployApi()) {
  renderEcs(
    <RollbackDialog
      open
      onClose={jest.fn()}
      entityRef={entityRef}
      environment="prod"
      environmentTitle="Production"
      pollIntervalMs={10}
    />,
    { api },
  );
  return api;
}

describe('RollbackDialog', () => {
  it('shows the previous revision and rolls back to it with the revision the user saw', async () => {
    const api = mockEcsDeployApi({
      rollback: jest.fn().mockResolvedValue(outcome(6)),
      getEntityStatus: jest
        .fn()
        .mockResolvedValue(prodRollingOut(6, 'COMPLETED')),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back Production',
    });
    expect(
      await within(dialog).findByText('payments-api-prod:6'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('payments-api-prod:7')).toBeInTheDocument();
    const changes = within(dialog).getByRole('table', { name: 'Changes' });
    expect(
      within(changes).getByText(/payments-api:v1\.3\.9$/),
    ).toBeInTheDocument();
    expect(api.getRollbackPreview).toHaveBeenCalledWith(entityRef, 'prod');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back Production' }),
    );
    expect(api.rollback).toHaveBeenCalledWith(entityRef, {
      environment: 'prod',
      expectedTaskDefinition: td('prod', 7).arn,
      reason: undefined,
    });
    expect(
      await within(dialog).findByText(
        'Rollout of payments-api-prod:6 to Production completed',
      ),
    ).toBeInTheDocument();
  });

  it('disables confirm when there is no previous revision', async () => {
    const api = mockEcsDeployApi({
      getRollbackPreview: jest.fn().mockResolvedValue({
        ...rollbackPreview,
        previous: undefined,
        allowed: false,
        blockers: [
          {
            code: 'no-previous-revision',
            message: 'Production has no earlier revision to return to.',
          },
        ],
      }),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Production has no earlier revision to return to.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Roll back Production' }),
    ).toBeDisabled();
  });

  it('shows a 409 conflict in the dialog', async () => {
    const api = mockEcsDeployApi({
      rollback: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            'A promotion to Production is in flight.',
          ),
        ),
    });
    renderDialog(api);
    const dialog = await confirmDialog('Roll back Production');
    expect(
      await within(dialog).findByText(
        'A promotion to Production is in flight.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Refused: the rollback was not started'),
    ).toBeInTheDocument();
  });
});
