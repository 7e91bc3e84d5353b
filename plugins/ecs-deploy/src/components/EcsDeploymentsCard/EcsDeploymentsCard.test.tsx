import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EcsDeploymentsCard } from './EcsDeploymentsCard';
import {
  entityStatus,
  envStatus,
  info,
  mockEcsDeployApi,
  restrictedEntity,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

describe('EcsDeploymentsCard', () => {
  it('shows a progress bar while loading', async () => {
    const api = mockEcsDeployApi({
      getEntityStatus: jest.fn((_ref: string) => new Promise<never>(() => {})),
    });
    renderEcs(<EcsDeploymentsCard />, { api });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Staging' }),
    ).not.toBeInTheDocument();
  });

  it('shows the error when the status cannot be loaded', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'No such entity' },
        response: { statusCode: 404 },
      }),
      { status: 404, statusText: 'Not Found' },
    );
    const error = await ResponseError.fromResponse(response);
    const api = mockEcsDeployApi({
      getEntityStatus: jest.fn().mockRejectedValue(error),
    });
    renderEcs(<EcsDeploymentsCard />, { api });
    expect(await screen.findByText(/No such entity/)).toBeInTheDocument();
  });

  it('is the pipeline in compact form: stages, the arrow, no cluster line and no rollback', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<EcsDeploymentsCard />, { api });
    const prod = await screen.findByRole('region', { name: 'Production' });
    expect(within(prod).getByText('Healthy')).toBeInTheDocument();
    expect(within(prod).getByText('payments-api-prod:7')).toBeInTheDocument();
    expect(
      within(prod).getByText('differs from Staging (v1.5.0)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', {
        name: 'Promotion from Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/in demo-prod \(us-east-1\)/)).toBeNull();
    expect(
      screen.queryByRole('button', { name: /^Roll back/ }),
    ).not.toBeInTheDocument();
    expect(api.getEntityStatus).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(api.getHistory).toHaveBeenCalledWith(
      'component:default/payments-api',
      { limit: 20 },
    );
  });

  it('shows an environment error in place, with a stale marker, and keeps the other environment', async () => {
    const api = mockEcsDeployApi({
      getEntityStatus: jest.fn().mockResolvedValue(
        entityStatus([
          envStatus('staging'),
          envStatus('prod', {
            health: 'unknown',
            stale: true,
            error: {
              name: 'AccessDeniedException',
              message: 'not authorized to perform ecs:DescribeServices',
            },
          }),
        ]),
      ),
    });
    renderEcs(<EcsDeploymentsCard />, { api });
    const prod = await screen.findByRole('region', { name: 'Production' });
    expect(
      within(prod).getByText('Could not read Production'),
    ).toBeInTheDocument();
    expect(
      within(prod).getByText('not authorized to perform ecs:DescribeServices'),
    ).toBeInTheDocument();
    expect(within(prod).getByText('Unknown')).toBeInTheDocument();
    expect(
      within(prod).getByText(/^Stale: last known state/),
    ).toBeInTheDocument();
    // The stale data is still shown, and staging is untouched.
    expect(within(prod).getByText('payments-api-prod:7')).toBeInTheDocument();
    const staging = screen.getByRole('region', { name: 'Staging' });
    expect(within(staging).getByText('Healthy')).toBeInTheDocument();
  });

  it('offers "Promote staging to prod" when the caller may promote', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<EcsDeploymentsCard />, { api });
    const button = await screen.findByRole('button', {
      name: 'Promote staging to prod',
    });
    expect(button).toBeEnabled();
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote Staging to Production',
    });
    expect(dialog).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledWith(
      'component:default/payments-api',
      { from: 'staging', to: 'prod' },
    );
  });

  it('disables the promote button with the reason when not allowed', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<EcsDeploymentsCard />, {
      api,
      entity: restrictedEntity(),
      authorize: AuthorizeResult.DENY,
    });
    await screen.findByRole('region', { name: 'Production' });
    const button = await screen.findByRole('button', {
      name: 'Promote staging to prod',
    });
    expect(button).toBeDisabled();
    expect(
      screen.getByText(
        'You are not allowed to promote this service to Production.',
      ),
    ).toBeInTheDocument();
  });

  it('names the missing permission, not the environments, when the caller may not promote', async () => {
    const api = mockEcsDeployApi({
      getEntityStatus: jest
        .fn()
        .mockResolvedValue(
          entityStatus([
            envStatus('staging'),
            envStatus('prod', { service: envStatus('staging').service }),
          ]),
        ),
    });
    renderEcs(<EcsDeploymentsCard />, {
      api,
      entity: restrictedEntity(),
      authorize: AuthorizeResult.DENY,
    });
    expect(
      await screen.findByText(
        'You are not allowed to promote this service to Production.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText("prod already runs staging's images."),
    ).not.toBeInTheDocument();
  });

  it.each([
    [
      'prod already runs staging’s images',
      { service: envStatus('staging').service },
      "prod already runs staging's images.",
    ],
    [
      'prod is not deployed',
      {
        health: 'not-deployed' as const,
        service: undefined,
        links: { logs: [] },
      },
      'prod is not deployed: nothing to promote.',
    ],
  ])(
    'disables the promote button with the reason when %s',
    async (_case, prod, reason) => {
      const api = mockEcsDeployApi({
        getEntityStatus: jest
          .fn()
          .mockResolvedValue(
            entityStatus([envStatus('staging'), envStatus('prod', prod)]),
          ),
      });
      renderEcs(<EcsDeploymentsCard />, { api });
      const button = await screen.findByRole('button', {
        name: 'Promote staging to prod',
      });
      expect(button).toBeDisabled();
      expect(screen.getByText(reason)).toBeInTheDocument();
    },
  );

  it('leaves the promote button to the permission check when prod cannot be read', async () => {
    const api = mockEcsDeployApi({
      getEntityStatus: jest.fn().mockResolvedValue(
        entityStatus([
          envStatus('staging'),
          envStatus('prod', {
            health: 'unknown',
            service: undefined,
            error: { name: 'AccessDeniedException', message: 'denied' },
          }),
        ]),
      ),
    });
    renderEcs(<EcsDeploymentsCard />, { api });
    expect(
      await screen.findByRole('button', { name: 'Promote staging to prod' }),
    ).toBeEnabled();
  });

  it('announces active freeze windows', async () => {
    const api = mockEcsDeployApi({
      getInfo: jest.fn().mockResolvedValue({
        ...info,
        activeFreezeWindows: [
          {
            name: 'black-friday',
            environments: ['prod'],
            endsAt: '2026-11-30T00:00:00Z',
            reason: 'peak traffic',
          },
        ],
      }),
    });
    renderEcs(<EcsDeploymentsCard />, { api });
    expect(
      await screen.findByText(/Freeze window “black-friday” on Production/),
    ).toBeInTheDocument();
  });
});
