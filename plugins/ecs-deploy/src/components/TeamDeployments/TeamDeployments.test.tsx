import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { TeamDeploymentsContent } from './TeamDeployments';
import {
  groupEntity,
  mockEcsDeployApi,
  teamStatus,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

/** The Promote button of a row's only promotion path. */
function promoteButton(row: HTMLElement) {
  return within(row).getByRole('button', { name: 'Promote staging to prod' });
}

describe('TeamDeploymentsContent', () => {
  it('shows a progress bar while loading', async () => {
    const api = mockEcsDeployApi({
      getTeamStatus: jest.fn((_ref: string) => new Promise<never>(() => {})),
    });
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows every service with one column group per environment and marks prod behind staging', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    const table = await screen.findByRole('table', {
      name: 'Team deployments',
    });
    expect(api.getTeamStatus).toHaveBeenCalledWith(
      'group:default/team-payments',
    );

    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Service',
      'Staging',
      'Production',
      'Promotion',
      'Health',
      'Image',
      'Revision',
      'Health',
      'Image',
      'Revision',
    ]);

    const payments = within(table).getByRole('row', { name: /Payments API/ });
    const cells = within(payments)
      .getAllByRole('cell')
      .filter(cell => cell.tagName === 'TD');
    expect(cells[0]).toHaveTextContent('Healthy');
    expect(cells[1]).toHaveTextContent('v1.5.0');
    expect(cells[2]).toHaveTextContent(/^12$/);
    expect(within(cells[2]).getByText('12')).toHaveAttribute(
      'title',
      'payments-api-staging:12',
    );
    expect(cells[3]).toHaveTextContent('Healthy');
    expect(cells[4]).toHaveTextContent('v1.4.0');
    expect(cells[5]).toHaveTextContent(/^7$/);
    expect(
      within(payments).getByText('prod behind staging'),
    ).toBeInTheDocument();
    expect(promoteButton(payments)).toBeEnabled();

    const ledger = within(table).getByRole('row', { name: /Ledger/ });
    expect(within(ledger).getByText('Failed')).toBeInTheDocument();
    expect(within(ledger).getByText('Unknown')).toBeInTheDocument();
    expect(
      within(ledger).getByText('Access denied to demo-prod'),
    ).toBeInTheDocument();
    expect(
      within(ledger).queryByText('prod behind staging'),
    ).not.toBeInTheDocument();
    // prod could not be read: nothing says it is up to date; the dialog reads it again.
    expect(
      within(ledger).queryByText('prod up to date with staging'),
    ).not.toBeInTheDocument();
    expect(
      within(ledger).getByText('Cannot compare: no images known for prod'),
    ).toBeInTheDocument();
    expect(promoteButton(ledger)).toBeEnabled();
  });

  it('never breaks a word: cells stay on one line, long values end in an ellipsis with the full value on hover', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    const table = await screen.findByRole('table', {
      name: 'Team deployments',
    });
    // Every header and value cell; only the Promotion cell's sentences wrap, between words.
    const rows = within(table).getAllByRole('row');
    const cells = rows.flatMap(row =>
      within(row)
        .queryAllByRole('cell')
        .filter(cell => cell.tagName === 'TD')
        .slice(0, -1),
    );
    expect(cells).toHaveLength(3 * 6);
    for (const cell of [...table.querySelectorAll('th'), ...cells]) {
      expect(cell).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    const image = within(table).getByText('v1.5.0');
    expect(image).toHaveAttribute('title', 'payments-api:v1.5.0');
    expect(image).toHaveStyle({
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    });
    const error = within(table).getByText('Access denied to demo-prod');
    expect(error).toHaveAttribute('title', 'Access denied to demo-prod');
  });

  it('marks a service whose prod runs the images of staging up to date, with nothing to promote', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    const checkout = await screen.findByRole('row', { name: /Checkout/ });
    expect(
      within(checkout).getByText('prod up to date with staging'),
    ).toBeInTheDocument();
    expect(
      within(checkout).queryByText('prod behind staging'),
    ).not.toBeInTheDocument();
    expect(
      within(checkout).getByText("prod already runs staging's images."),
    ).toBeInTheDocument();
    expect(promoteButton(checkout)).toBeDisabled();
  });

  it('does not call a service that is not deployed up to date', async () => {
    const notDeployed = { health: 'not-deployed' as const, images: [] };
    const lags = [
      {
        from: 'staging',
        to: 'prod',
        state: 'not-deployed' as const,
        lagging: false,
      },
    ];
    const api = mockEcsDeployApi({
      getTeamStatus: jest.fn().mockResolvedValue({
        ...teamStatus,
        rows: [
          {
            entityRef: 'component:default/fresh',
            title: 'Fresh',
            environments: { staging: notDeployed, prod: notDeployed },
            lags,
          },
          {
            entityRef: 'component:default/half',
            title: 'Half',
            environments: {
              staging: teamStatus.rows[0].environments.staging,
              prod: notDeployed,
            },
            lags,
          },
        ],
      }),
    });
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    const fresh = await screen.findByRole('row', { name: /Fresh/ });
    expect(within(fresh).getByText('staging not deployed')).toBeInTheDocument();
    expect(
      within(fresh).queryByText('prod up to date with staging'),
    ).not.toBeInTheDocument();
    expect(
      within(fresh).getByText('staging is not deployed: nothing to promote.'),
    ).toBeInTheDocument();
    expect(promoteButton(fresh)).toBeDisabled();

    const half = screen.getByRole('row', { name: /Half/ });
    expect(within(half).getByText('prod not deployed')).toBeInTheDocument();
    expect(
      within(half).getByText('prod is not deployed: nothing to promote.'),
    ).toBeInTheDocument();
    expect(promoteButton(half)).toBeDisabled();
  });

  it('keeps the table when a refresh fails, and says so', async () => {
    const api = mockEcsDeployApi({
      getTeamStatus: jest
        .fn()
        .mockResolvedValueOnce(teamStatus)
        .mockRejectedValue(new Error('Service Unavailable')),
    });
    renderEcs(<TeamDeploymentsContent />, {
      api,
      entity: groupEntity,
      pollIntervalSeconds: 1,
    });
    await screen.findByRole('table', { name: 'Team deployments' });
    expect(
      await screen.findByText(
        'Could not refresh: Service Unavailable',
        undefined,
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', { name: /Payments API/ }),
    ).toBeInTheDocument();
  });

  it('promotes a row from the team view', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<TeamDeploymentsContent />, { api, entity: groupEntity });
    const payments = await screen.findByRole('row', { name: /Payments API/ });
    await userEvent.click(promoteButton(payments));
    expect(
      await screen.findByRole('dialog', {
        name: 'Promote Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledWith(
      'component:default/payments-api',
      { from: 'staging', to: 'prod' },
    );
  });

  it("keeps a row's open dialog through a refresh of the table", async () => {
    // The refresh answers a newer staging image for the same service.
    const [payments, ...others] = teamStatus.rows;
    const newer = {
      ...payments,
      environments: {
        ...payments.environments,
        staging: {
          ...payments.environments.staging,
          images: [
            { container: 'app', image: 'payments-api:v1.6.0', tag: 'v1.6.0' },
          ],
        },
      },
    };
    const api = mockEcsDeployApi({
      getTeamStatus: jest
        .fn()
        .mockResolvedValueOnce(teamStatus)
        .mockResolvedValue({ ...teamStatus, rows: [newer, ...others] }),
    });
    renderEcs(<TeamDeploymentsContent />, {
      api,
      entity: groupEntity,
      pollIntervalSeconds: 1,
    });
    const row = await screen.findByRole('row', { name: /Payments API/ });
    await userEvent.click(promoteButton(row));
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote Staging to Production',
    });
    // The table behind the dialog shows the refreshed row; the dialog it opened stays open.
    expect(
      await screen.findByText('v1.6.0', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(dialog).toBeInTheDocument();
    expect(
      screen.getByRole('dialog', { name: 'Promote Staging to Production' }),
    ).toBe(dialog);
  });

  it('disables the row promote buttons when not allowed', async () => {
    const api = mockEcsDeployApi({
      getTeamStatus: jest.fn().mockResolvedValue({
        ...teamStatus,
        rows: [
          { ...teamStatus.rows[0], entityRef: 'component:default/billing' },
        ],
      }),
    });
    renderEcs(<TeamDeploymentsContent />, {
      api,
      entity: groupEntity,
      authorize: AuthorizeResult.DENY,
    });
    const table = await screen.findByRole('table', {
      name: 'Team deployments',
    });
    expect(
      await within(table).findByText(
        'You are not allowed to promote this service to Production.',
      ),
    ).toBeInTheDocument();
    expect(promoteButton(table)).toBeDisabled();
  });
});
