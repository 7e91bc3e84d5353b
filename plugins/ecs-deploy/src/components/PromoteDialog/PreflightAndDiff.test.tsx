import { screen, within } from '@testing-library/react';
import type { PromotionPreview } from '@deployment-portal/plugin-ecs-deploy-common';
import { PromoteDialog } from './PromoteDialog';
import {
  entityRef,
  mockEcsDeployApi,
  promotionPreview,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const ROLE_MISSING =
  'The task role payments-api-prod-task does not exist in prod (account 123456789012)';

function renderDialog(preview: Partial<PromotionPreview>) {
  renderEcs(
    <PromoteDialog
      open
      onClose={jest.fn()}
      entityRef={entityRef}
      from="staging"
      to="prod"
      fromTitle="Staging"
      toTitle="Production"
    />,
    {
      api: mockEcsDeployApi({
        getPromotionPreview: jest
          .fn()
          .mockResolvedValue({ ...promotionPreview, ...preview }),
      }),
    },
  );
  return screen.findByRole('dialog', { name: 'Promote Staging to Production' });
}

describe('PromoteDialog: pre-flight checks and the diff beyond images', () => {
  it('lists each check, blocks on a missing role with its fix, and what stays as prod has it', async () => {
    const dialog = await renderDialog({
      allowed: false,
      blockers: [
        {
          code: 'preflight',
          message: ROLE_MISSING,
          fix: 'Create payments-api-prod-task (apply the service Terraform).',
        },
      ],
      preflight: [
        { check: 'image-digest', status: 'pass', message: 'app: sha256:abc' },
        {
          check: 'task-roles',
          status: 'block',
          message: ROLE_MISSING,
          fix: 'Create payments-api-prod-task (apply the service Terraform).',
        },
      ],
      differences: {
        task: [{ field: 'memory', source: '512 MiB', target: '1024 MiB' }],
        containers: [
          {
            container: 'app',
            differences: [
              {
                field: 'environment',
                source: 'STAGE (other value)',
                target: 'STAGE (other value), TRACING (only here)',
              },
            ],
          },
        ],
      },
    });
    const checks = await within(dialog).findByRole('region', {
      name: 'Pre-flight checks',
    });
    expect(checks).toHaveTextContent('Image digest: app: sha256:abc');
    expect(checks).toHaveTextContent(
      `Task and execution roles: ${ROLE_MISSING}`,
    );
    expect(within(checks).getByTitle('blocks')).toBeInTheDocument();
    // The blocker carries the fix, and nothing can be confirmed.
    expect(
      within(dialog).getByText(/Create payments-api-prod-task/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote to Production' }),
    ).toBeDisabled();

    const diff = within(dialog).getByRole('region', {
      name: 'Beyond the images',
    });
    expect(diff).toHaveTextContent(
      'The promotion changes the images only; these stay as Production has them.',
    );
    const rows = within(diff)
      .getAllByRole('row')
      .map(r => r.textContent);
    expect(rows).toEqual([
      'ContainerSettingIn StagingIn Production (kept)',
      'TaskMemory512 MiB1024 MiB',
      'appEnvironment variablesSTAGE (other value)STAGE (other value), TRACING (only here)',
    ]);
  });

  it('says when nothing differs beyond the images', async () => {
    const dialog = await renderDialog({
      preflight: [],
      differences: { task: [], containers: [] },
    });
    expect(
      await within(dialog).findByText(
        'Nothing else differs between Staging and Production.',
      ),
    ).toBeInTheDocument();
  });
});
