import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromoteDialog } from './PromoteDialog';
import {
  entityRef,
  mockEcsDeployApi,
  outcome,
  promotionPreview,
  prodRollingOut,
  responseError,
  td,
} from '../../__testUtils__/fixtures';
import { confirmDialog, renderEcs } from '../../__testUtils__/render';

function renderDialog(api = mockEcsDeployApi(), onClose = jest.fn()) {
  renderEcs(
    <PromoteDialog
      open
      onClose={onClose}
      entityRef={entityRef}
      from="staging"
      to="prod"
      fromTitle="Staging"
      toTitle="Production"
      pollIntervalMs={10}
      timeoutMs={5000}
    />,
    { api },
  );
  return { api, onClose };
}

describe('PromoteDialog', () => {
  it('shows what will change, labelled by its title', async () => {
    renderDialog();
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote Staging to Production',
    });
    const changes = await within(dialog).findByRole('table', {
      name: 'Changes',
    });
    const row = within(changes).getAllByRole('row')[1];
    expect(within(row).getByText('app')).toBeInTheDocument();
    expect(within(row).getByText(/payments-api:v1\.4\.0$/)).toBeInTheDocument();
    expect(within(row).getByText(/payments-api:v1\.5\.0$/)).toBeInTheDocument();
    expect(within(dialog).getByText('payments-api-prod:7')).toBeInTheDocument();
    expect(
      within(dialog).getByText('payments-api-staging:12'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote to Production' }),
    ).toBeEnabled();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeEnabled();
  });

  it('shows the blockers as warnings and disables confirm when not allowed', async () => {
    const api = mockEcsDeployApi({
      getPromotionPreview: jest.fn().mockResolvedValue({
        ...promotionPreview,
        allowed: false,
        blockers: [
          {
            code: 'source-rolling-out',
            message: 'Staging is still rolling out payments-api-staging:13.',
          },
          {
            code: 'freeze-window',
            message: 'Production is frozen until Monday (black-friday).',
          },
        ],
      }),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Staging is still rolling out payments-api-staging:13.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Production is frozen until Monday (black-friday).',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getAllByText('Cannot promote now')).toHaveLength(2);
    expect(
      within(dialog).getByRole('button', { name: 'Promote to Production' }),
    ).toBeDisabled();
  });

  it('shows one warning per unreadable environment, each with its own key', async () => {
    const error = jest.spyOn(console, 'error');
    const api = mockEcsDeployApi({
      getPromotionPreview: jest.fn().mockResolvedValue({
        ...promotionPreview,
        allowed: false,
        blockers: [
          {
            code: 'environment-unreadable',
            message:
              'Cannot read payments-api in staging from ECS now (Cannot assume role arn:aws:iam::111111111111:role/backstage-ecs-deploy)',
          },
          {
            code: 'environment-unreadable',
            message:
              'Cannot read payments-api in prod from ECS now (Cannot assume role arn:aws:iam::222222222222:role/backstage-ecs-deploy)',
          },
        ],
      }),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/payments-api in staging .*111111111111/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/payments-api in prod .*222222222222/),
    ).toBeInTheDocument();
    expect(within(dialog).getAllByText('Cannot promote now')).toHaveLength(2);
    const duplicateKeys = error.mock.calls.filter(args =>
      args.some(a => /two children with the same key/.test(String(a))),
    );
    expect(duplicateKeys).toEqual([]);
    error.mockRestore();
  });

  it('confirms with the revision the user saw, then follows the rollout to completion', async () => {
    const api = mockEcsDeployApi({
      promote: jest.fn().mockResolvedValue(outcome(8)),
      getEntityStatus: jest
        .fn()
        .mockResolvedValueOnce(prodRollingOut(8, 'IN_PROGRESS'))
        .mockResolvedValue(prodRollingOut(8, 'COMPLETED')),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('table', { name: 'Changes' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Reason (optional)' }),
      'Release 1.5.0',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote to Production' }),
    );

    expect(api.promote).toHaveBeenCalledTimes(1);
    expect(api.promote).toHaveBeenCalledWith(entityRef, {
      from: 'staging',
      to: 'prod',
      expectedTargetTaskDefinition: td('prod', 7).arn,
      reason: 'Release 1.5.0',
    });
    expect(
      await within(dialog).findByText(
        'Rollout of payments-api-prod:8 to Production completed',
      ),
    ).toBeInTheDocument();
    expect(api.getEntityStatus).toHaveBeenCalledTimes(2);
    expect(
      within(dialog).getByRole('link', { name: /CloudWatch logs \(prod\)/ }),
    ).toHaveAttribute('href', 'https://logs.example.com/prod');
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it('shows progress while rolling out and a failed rollout with its reason', async () => {
    let resolveFailure: () => void = () => {};
    const failed = new Promise<void>(r => {
      resolveFailure = r;
    });
    const api = mockEcsDeployApi({
      getEntityStatus: jest
        .fn()
        .mockResolvedValueOnce(prodRollingOut(8, 'IN_PROGRESS'))
        .mockImplementation(async () => {
          await failed;
          return prodRollingOut(
            8,
            'FAILED',
            'ECS deployment circuit breaker: tasks failed to start.',
          );
        }),
    });
    renderDialog(api);
    const dialog = await confirmDialog('Promote to Production');
    expect(
      await within(dialog).findByText(
        'Rolling out payments-api-prod:8 to Production',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('progressbar', { name: 'Rollout progress' }),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText('1 of 2 tasks running'),
    ).toBeInTheDocument();
    resolveFailure();
    expect(
      await within(dialog).findByText(
        'Rollout of payments-api-prod:8 to Production failed: ECS deployment circuit breaker: tasks failed to start.',
      ),
    ).toBeInTheDocument();
  });

  describe('on a fake clock', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('stops following a rollout that does not finish before the timeout', async () => {
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      const api = mockEcsDeployApi({
        getEntityStatus: jest
          .fn()
          .mockResolvedValue(prodRollingOut(8, 'IN_PROGRESS')),
      });
      renderEcs(
        <PromoteDialog
          open
          onClose={jest.fn()}
          entityRef={entityRef}
          from="staging"
          to="prod"
          toTitle="Production"
          pollIntervalMs={10}
          timeoutMs={50}
        />,
        { api },
      );
      const dialog = await screen.findByRole('dialog');
      // The dialog's entering transition ends (it takes no clicks before).
      await act(async () => {
        jest.advanceTimersByTime(1000);
      });
      await user.click(
        await within(dialog).findByRole('button', {
          name: 'Promote to Production',
        }),
      );
      // findBy moves the fake clock on while it waits: past the 50 ms the rollout is given.
      expect(
        await within(dialog).findByText(
          'Rollout of payments-api-prod:8 to Production has not finished yet; check the service in ECS',
        ),
      ).toBeInTheDocument();
      const calls = api.getEntityStatus.mock.calls.length;
      // A hundred poll intervals later: no further reads.
      await act(async () => {
        jest.advanceTimersByTime(1000);
      });
      expect(api.getEntityStatus).toHaveBeenCalledTimes(calls);
    });
  });

  it('shows a 409 conflict in the dialog', async () => {
    const api = mockEcsDeployApi({
      promote: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            'Production changed since the preview: it now runs payments-api-prod:9.',
          ),
        ),
    });
    renderDialog(api);
    const dialog = await confirmDialog('Promote to Production');
    expect(
      await within(dialog).findByText(
        'Production changed since the preview: it now runs payments-api-prod:9.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Refused: the promotion was not started'),
    ).toBeInTheDocument();
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('reads the preview again after a conflict, so the next confirm is against what runs now', async () => {
    const changed = {
      ...promotionPreview,
      target: { ...promotionPreview.target!, taskDefinition: td('prod', 9) },
    };
    const api = mockEcsDeployApi({
      getPromotionPreview: jest
        .fn()
        .mockResolvedValueOnce(promotionPreview)
        .mockResolvedValue(changed),
      promote: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(
            409,
            'ConflictError',
            'prod changed since you looked: it now runs payments-api-prod:9, you saw payments-api-prod:7. Review again.',
          ),
        )
        .mockResolvedValue(outcome(10)),
      getEntityStatus: jest
        .fn()
        .mockResolvedValue(prodRollingOut(10, 'COMPLETED')),
    });
    renderDialog(api);
    const dialog = await confirmDialog('Promote to Production');
    expect(
      await within(dialog).findByText(/prod changed since you looked/),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText('payments-api-prod:9'),
    ).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledTimes(2);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote to Production' }),
    );
    expect(api.promote).toHaveBeenLastCalledWith(
      entityRef,
      expect.objectContaining({
        expectedTargetTaskDefinition: td('prod', 9).arn,
      }),
    );
  });

  it('asks an admin for a reason to override a freeze window, and sends it', async () => {
    const api = mockEcsDeployApi({
      getPromotionPreview: jest.fn().mockResolvedValue({
        ...promotionPreview,
        allowed: false,
        canOverrideFreeze: true,
        blockers: [
          { code: 'freeze-window', message: "prod is frozen by 'year-end'" },
        ],
      }),
    });
    renderDialog(api);
    const dialog = await screen.findByRole('dialog');
    const confirm = await within(dialog).findByRole('button', {
      name: 'Promote to Production',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: /Override the freeze window/,
      }),
      'incident 7',
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    expect(api.promote).toHaveBeenCalledWith(
      entityRef,
      expect.objectContaining({ overrideReason: 'incident 7' }),
    );
  });

  it('shows a 403 in the dialog', async () => {
    const api = mockEcsDeployApi({
      promote: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            403,
            'NotAllowedError',
            'Only owners may promote.',
          ),
        ),
    });
    renderDialog(api);
    const dialog = await confirmDialog('Promote to Production');
    expect(
      await within(dialog).findByText(
        'You are not allowed to promote this service',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Only owners may promote.'),
    ).toBeInTheDocument();
  });

  it('closes on Cancel', async () => {
    const { onClose } = renderDialog();
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(onClose).toHaveBeenCalled();
  });
});
