import { Route, Routes, useLocation } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import type { Adopter } from '@deployment-portal/plugin-ecs-deploy-common';
import { UnclaimedServicesPage } from './UnclaimedServicesPage';
import {
  alicesAdopter,
  mockEcsDeployApi,
  templateEntity,
  unclaimedServices,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const adoptTemplate = templateEntity('adopt-ecs-service');

/** Where the page navigated to, with its query. */
function Location() {
  const location = useLocation();
  return (
    <output aria-label="location">{location.pathname + location.search}</output>
  );
}

function render(options: { adopter?: Adopter; catalog?: Entity[] } = {}) {
  const api = mockEcsDeployApi({
    getAdopter: jest.fn().mockResolvedValue(options.adopter ?? alicesAdopter),
  });
  renderEcs(
    <Routes>
      <Route path="/" element={<UnclaimedServicesPage />} />
      <Route path="/create/*" element={<Location />} />
    </Routes>,
    { api, entity: null, catalog: options.catalog },
  );
  return api;
}

const lastQuery = (api: ReturnType<typeof render>) =>
  api.getUnclaimedServices.mock.calls[
    api.getUnclaimedServices.mock.calls.length - 1
  ][0];

const table = () =>
  screen.findByRole('table', { name: 'Unclaimed ECS services' });

describe('UnclaimedServicesPage', () => {
  it('counts the unclaimed services per environment and suggested team, and lists them', async () => {
    const api = render();
    const rows = within(await table()).getAllByRole('row');
    expect(api.getUnclaimedServices).toHaveBeenCalledWith({
      offset: 0,
      limit: 50,
    });
    expect(
      screen.getByRole('button', { name: 'Staging: 3' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Production: 1' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'team-payments: 2' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'No suggestion: 1' }),
    ).toHaveAttribute('aria-disabled', 'true');
    // A header row and the four services.
    expect(rows).toHaveLength(5);
    const ledger = within(await table()).getByRole('row', { name: /ledger/ });
    expect(
      within(ledger).getByText(
        'Its tag names component:default/old-ledger, not in the catalog',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('4 services')).toBeInTheDocument();
  });

  it('lets a member of the suggested owner adopt, and says why not to everyone else', async () => {
    render();
    const t = await table();
    const [staging] = within(t).getAllByRole('button', {
      name: 'Adopt billing',
    });
    expect(staging).toBeEnabled();
    expect(
      within(t).getByRole('button', { name: 'Adopt ledger' }),
    ).toBeDisabled();
    expect(
      within(t).getByText(
        'Only members of team-search or an admin may adopt it',
      ),
    ).toBeInTheDocument();
    expect(
      within(t).getByRole('button', { name: 'Adopt orphan' }),
    ).toBeDisabled();
    expect(
      within(t).getByText(
        'Its tags suggest no owner: only an admin may adopt it',
      ),
    ).toBeInTheDocument();
    // Members select nothing for a bulk adoption.
    expect(within(t).queryByRole('checkbox')).toBeNull();
  });

  it('filters by environment, suggested owner and search in the query, and offers "suggested for my team"', async () => {
    const api = render();
    await table();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Suggested for my team: team-payments',
      }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        owner: 'group:default/team-payments',
        offset: 0,
        limit: 50,
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Production: 1' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ environment: 'prod' }),
    );
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search services' }),
      'bill',
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        environment: 'prod',
        owner: 'group:default/team-payments',
        search: 'bill',
        offset: 0,
        limit: 50,
      }),
    );
  });

  it('opens the adoption template filled in with every environment the service is unclaimed in', async () => {
    const api = render({ catalog: [adoptTemplate] });
    const [adopt] = within(await table()).getAllByRole('button', {
      name: 'Adopt billing',
    });
    await userEvent.click(adopt);
    const location = await screen.findByRole('status', { name: 'location' });
    expect(lastQuery(api)).toEqual({ search: 'billing', limit: 200 });
    const url = new URL(location.textContent!, 'http://app');
    expect(url.pathname).toBe('/create/templates/default/adopt-ecs-service');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      name: 'billing',
      environments: ['staging', 'prod'],
      owner: 'group:default/team-payments',
      description: 'billing, adopted from ECS',
    });
  });

  it('without the template, adopts through the API after the backend’s dry run', async () => {
    const api = render();
    api.adoptService.mockImplementation(async request => ({
      entityRef: 'component:default/billing',
      owner: request.owner,
      actor: 'user:default/alice',
      dryRun: Boolean(request.dryRun),
      services: request.environments.map(environment => ({
        environment,
        cluster: `demo-${environment}`,
        serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/demo-${environment}/billing`,
        imageParameters: [
          {
            name: `/ecs-deploy/${environment}/billing/image/app`,
            image: 'ghcr.io/acme/billing:1.0.0',
            created: !request.dryRun,
          },
        ],
      })),
    }));
    const [adopt] = within(await table()).getAllByRole('button', {
      name: 'Adopt billing',
    });
    await userEvent.click(adopt);
    const dialog = await screen.findByRole('dialog', { name: 'Adopt billing' });
    await within(dialog).findByText('Ready to adopt. The adoption writes:');
    const target = {
      serviceName: 'billing',
      environments: ['staging', 'prod'],
      owner: 'group:default/team-payments',
    };
    expect(api.adoptService.mock.calls).toEqual([
      [{ ...target, dryRun: true }],
    ]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Adopt' }),
    );
    expect(
      await within(dialog).findByText(/Adopted as component:default\/billing/),
    ).toBeInTheDocument();
    expect(api.adoptService.mock.calls[1]).toEqual([
      { ...target, dryRun: false },
    ]);
    const calls = api.getUnclaimedServices.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    // The list is read again: the adopted service is gone from it.
    await waitFor(() =>
      expect(api.getUnclaimedServices.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('shows the backend’s refusal in the dialog and offers no Adopt', async () => {
    const api = render();
    api.adoptService.mockRejectedValue(
      new Error(
        'ECS service billing in staging is already adopted by user:default/bob as component:default/billing',
      ),
    );
    const [adopt] = within(await table()).getAllByRole('button', {
      name: 'Adopt billing',
    });
    await userEvent.click(adopt);
    const dialog = await screen.findByRole('dialog', { name: 'Adopt billing' });
    expect(
      await within(dialog).findByText(
        /Cannot adopt: ECS service billing in staging is already adopted by user:default\/bob/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Adopt' }),
    ).toBeDisabled();
  });

  it('lets an admin select services, preview their adoption and run it as one job, with its per-service report', async () => {
    const api = render({
      adopter: {
        userEntityRef: 'user:default/dave',
        admin: true,
        groups: ['group:default/platform'],
      },
    });
    const billing = {
      serviceName: 'billing',
      environments: ['staging'],
      owner: 'group:default/team-payments',
    };
    const ledger = {
      serviceName: 'ledger',
      environments: ['staging'],
      owner: 'group:default/team-search',
    };
    const refusal = {
      name: 'ConflictError',
      message: 'An entity component:default/ledger already exists',
    };
    api.previewAdoptionJob.mockResolvedValue({
      dryRun: true,
      items: [billing, { ...ledger, error: refusal }],
      counts: { ok: 1, refused: 1 },
    });
    const job = (status: 'running' | 'completed') => ({
      id: '6f1c4e0a-0b7e-4d61-9a4e-1c2b3d4e5f60',
      actor: 'user:default/dave',
      createdAt: '2026-12-07T10:00:00Z',
      status,
      counts: {
        pending: status === 'running' ? 2 : 0,
        adopted: status === 'running' ? 0 : 1,
        'already-adopted': 0,
        failed: status === 'running' ? 0 : 1,
      },
      items:
        status === 'running'
          ? [
              { ...billing, status: 'pending' as const },
              { ...ledger, status: 'pending' as const },
            ]
          : [
              {
                ...billing,
                status: 'adopted' as const,
                entityRef: 'component:default/billing',
              },
              { ...ledger, status: 'failed' as const, error: refusal },
            ],
    });
    api.startAdoptionJob.mockResolvedValue(job('running'));
    api.getAdoptionJob.mockResolvedValue(job('completed'));
    const t = await table();
    // Admins may adopt any service, even one without a suggested owner (in the template).
    expect(
      within(t).getByRole('button', { name: 'Adopt orphan' }),
    ).toBeEnabled();
    // Bulk adoption is for suggested owners.
    expect(
      within(t).getByRole('checkbox', { name: 'Select orphan in Staging' }),
    ).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Select all on this page' }),
    );
    expect(
      screen.getByText(/; 3 selected for a bulk adoption/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(t).getByRole('checkbox', { name: 'Select billing in Production' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview adoption' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Adopt 2 services',
    });
    const preview = await within(dialog).findByRole('table', {
      name: 'Adoption preview',
    });
    expect(api.previewAdoptionJob).toHaveBeenCalledWith({
      services: [billing, ledger],
    });
    expect(
      within(within(preview).getByRole('row', { name: /ledger/ })).getByText(
        refusal.message,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('1 of 2 ready to adopt.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Adopt 1 service' }),
    );
    expect(api.startAdoptionJob).toHaveBeenCalledWith({
      services: [billing, ledger],
    });
    const report = await within(dialog).findByRole('table', {
      name: 'Adoption job',
    });
    // The report is read again until no service is pending.
    expect(
      await within(dialog).findByText(
        'Job completed: 1 adopted, 0 already adopted, 1 failed.',
      ),
    ).toBeInTheDocument();
    expect(
      within(report).getByText('Adopted as component:default/billing'),
    ).toBeInTheDocument();
    const reads = api.getAdoptionJob.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByText(/; 0 selected for a bulk adoption/),
    ).toBeInTheDocument();
    expect(api.getAdoptionJob.mock.calls.length).toBe(reads);
  });

  it('says when nothing matches, and clears the filters', async () => {
    const api = render();
    await table();
    api.getUnclaimedServices.mockResolvedValue({
      ...unclaimedServices,
      total: 0,
      items: [],
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Production: 1' }),
    );
    expect(
      await screen.findByText('No unclaimed service matches these filters.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ offset: 0, limit: 50 }),
    );
  });
});
