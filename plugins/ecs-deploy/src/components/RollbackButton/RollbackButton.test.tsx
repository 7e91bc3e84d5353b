import { screen } from '@testing-library/react';
import { RollbackButton } from './RollbackButton';
import {
  entityRef,
  mockEcsDeployApi,
  rollbackPreview,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

function renderButton(preview: object) {
  const api = mockEcsDeployApi({
    getRollbackPreview: jest.fn().mockResolvedValue(preview),
  });
  renderEcs(
    <RollbackButton
      entityRef={entityRef}
      environment="staging"
      environmentTitle="Staging"
    />,
    { api },
  );
  return api;
}

describe('RollbackButton', () => {
  it('is disabled, saying why, when nothing was recorded to roll back to', async () => {
    const api = renderButton({
      ...rollbackPreview,
      environment: 'staging',
      previous: undefined,
      allowed: false,
      blockers: [
        {
          code: 'no-previous-revision',
          message:
            'No promotion or rollback into staging recorded for payments-api-staging:12; nothing to roll back to',
        },
      ],
    });
    expect(
      await screen.findByText(/nothing to roll back to$/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Roll back Staging' }),
    ).toBeDisabled();
    expect(api.getRollbackPreview).toHaveBeenCalledWith(entityRef, 'staging');
  });

  it('is enabled when a previous revision is recorded', async () => {
    renderButton(rollbackPreview);
    const button = await screen.findByRole('button', {
      name: 'Roll back Staging',
    });
    await screen.findByRole('button', { name: 'Roll back Staging' });
    expect(button).toBeEnabled();
  });
});
