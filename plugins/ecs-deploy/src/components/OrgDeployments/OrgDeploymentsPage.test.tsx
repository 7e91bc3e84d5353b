import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OrgStatus } from '@deployment-portal/plugin-ecs-deploy-common';
import { OrgDeploymentsPage } from './OrgDeploymentsPage';
import { mockEcsDeployApi, orgStatus } from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const alice = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/team-payments'],
};

function render(answer: Partial<OrgStatus> = {}) {
  const api = mockEcsDeployApi({
    getOrgStatus: jest.fn().mockResolvedValue({ ...orgStatus, ...answer }),
  });
  renderEcs(<OrgDeploymentsPage />, { api, entity: null, identity: alice });
  return api;
}

/** The query of the last call. */
const lastQuery = (api: ReturnType<typeof render>) =>
  api.getOrgStatus.mock.calls[api.getOrgStatus.mock.calls.length - 1][0];

async function choose(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('OrgDeploymentsPage', () => {
  it('lists every service of every team with its team, environments and promotion state', async () => {
    const api = render();
    const table = await screen.findByRole('table', {
      name: 'Services of every team',
    });
    expect(api.getOrgStatus).toHaveBeenCalledWith({
      sort: 'name',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
    const ledger = within(table).getByRole('row', { name: /Ledger/ });
    expect(within(ledger).getByText('team-search')).toBeInTheDocument();
    expect(within(ledger).getByText('Failed')).toBeInTheDocument();
    const payments = within(table).getByRole('row', { name: /Payments API/ });
    expect(within(payments).getByText('team-payments')).toBeInTheDocument();
    expect(within(payments).getByText('v1.4.0')).toBeInTheDocument();
    expect(
      within(payments).getByText('prod behind staging'),
    ).toBeInTheDocument();
    // Read-only: promotions happen on the service's own page.
    expect(within(table).queryByRole('button', { name: /Promote/ })).toBeNull();
    expect(screen.getByText(/^3 services/)).toBeInTheDocument();
  });

  it('filters by team, lag state and health on the server', async () => {
    const api = render();
    await screen.findByRole('table', { name: 'Services of every team' });
    await choose(/^Team All teams/, 'team-search');
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({
        team: 'group:default/team-search',
        offset: 0,
      }),
    );
    await choose(
      /^Promotion \(Production\) Any/,
      'Behind (a promotion would change it)',
    );
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ lag: 'behind' }),
    );
    await choose(/^Health \(Production\) Any/, 'Failed');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        team: 'group:default/team-search',
        lag: 'behind',
        health: 'failed',
        sort: 'name',
        order: 'asc',
        offset: 0,
        limit: 50,
      }),
    );
  });

  it('searches by name once typing pauses', async () => {
    const api = render();
    await screen.findByRole('table', { name: 'Services of every team' });
    const calls = api.getOrgStatus.mock.calls.length;
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search services' }),
      'pay',
    );
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ q: 'pay' }));
    // One request for the whole word, none for "p" or "pa".
    expect(api.getOrgStatus.mock.calls.slice(calls).map(c => c[0]?.q)).toEqual([
      'pay',
    ]);
  });

  it('pages on the server and sorts by a column, then the other way', async () => {
    const api = render({ total: 1000 });
    await screen.findByRole('table', { name: 'Services of every team' });
    // The pager says where the page stands (once: its hidden copy is for layout only).
    expect(
      screen
        .getAllByText('1-50 of 1000')
        .filter(e => getComputedStyle(e).display !== 'none'),
    ).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ offset: 50, limit: 50 }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Team' }));
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({
        sort: 'team',
        order: 'asc',
        offset: 0,
      }),
    );
    expect(screen.getByRole('columnheader', { name: /Team/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Team' }));
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ sort: 'team', order: 'desc' }),
    );
  });

  it('changes the page size on the server, back on the first page', async () => {
    const api = render({ total: 1000 });
    await screen.findByRole('table', { name: 'Services of every team' });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ offset: 50 }));
    await userEvent.click(screen.getByRole('button', { name: /50 rows/ }));
    await userEvent.click(await screen.findByRole('option', { name: '100' }));
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ offset: 0, limit: 100 }),
    );
    expect(
      screen
        .getAllByText('1-100 of 1000')
        .filter(e => getComputedStyle(e).display !== 'none'),
    ).toHaveLength(1);
  });

  it('offers the signed-in user’s team as a shortcut', async () => {
    const api = render();
    const chip = await screen.findByRole('button', {
      name: 'My team: team-payments',
    });
    expect(chip).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(chip);
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({
        team: 'group:default/team-payments',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'My team: team-payments' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('says when nothing matches, and clears the filters', async () => {
    const api = render({ rows: [], total: 0 });
    await screen.findByRole('button', { name: 'My team: team-payments' });
    await userEvent.click(
      screen.getByRole('button', { name: 'My team: team-payments' }),
    );
    expect(
      await screen.findByText('No service matches these filters.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(lastQuery(api)?.team).toBeUndefined());
  });
});
