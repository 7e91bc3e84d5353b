import { Route, Routes, useLocation } from 'react-router-dom';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import type {
  AdoptionJob,
  AdoptionJobItem,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { BulkAdoptDialog } from './BulkAdoptDialog';
import {
  mockEcsDeployApi,
  templateEntity,
  unclaimed,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const importTemplate = templateEntity('import-ecs-services');
const TITLES: Record<string, string> = {
  staging: 'Staging',
  prod: 'Production',
};

/** Where the dialog's link went, with its query. */
function Location() {
  const location = useLocation();
  return (
    <output aria-label="location">{location.pathname + location.search}</output>
  );
}

const item = (
  serviceName: string,
  status: AdoptionJobItem['status'],
  owner = 'group:default/team-payments',
  environments = ['staging', 'prod'],
): AdoptionJobItem => ({
  serviceName,
  environments,
  owner,
  status,
  ...(status === 'failed'
    ? { error: { name: 'ConflictError', message: `${serviceName} is taken` } }
    : { entityRef: `component:default/${serviceName}` }),
});

const job = (items: AdoptionJobItem[]): AdoptionJob => ({
  id: '6f1c4e0a-0b7e-4d61-9a4e-1c2b3d4e5f60',
  actor: 'user:default/dave',
  createdAt: '2026-12-07T10:00:00Z',
  finishedAt: '2026-12-07T10:01:00Z',
  status: 'completed',
  counts: {
    pending: 0,
    adopted: items.filter(i => i.status === 'adopted').length,
    'already-adopted': items.filter(i => i.status === 'already-adopted').length,
    failed: items.filter(i => i.status === 'failed').length,
  },
  items,
});

/** Opens the dialog, runs a job that ends as `items` say, and waits for its report. */
async function runJob(
  items: AdoptionJobItem[],
  catalog: Entity[] = [importTemplate],
) {
  const api = mockEcsDeployApi({
    previewAdoptionJob: jest.fn().mockResolvedValue({
      dryRun: true,
      items: items.map(({ serviceName, environments, owner }) => ({
        serviceName,
        environments,
        owner,
      })),
      counts: { ok: items.length, refused: 0 },
    }),
    startAdoptionJob: jest.fn().mockResolvedValue(job(items)),
    getAdoptionJob: jest.fn().mockResolvedValue(job(items)),
  });
  renderEcs(
    <Routes>
      <Route
        path="/"
        element={
          <BulkAdoptDialog
            open
            onClose={() => {}}
            selection={items.map(i =>
              unclaimed(i.serviceName, { suggestedOwner: i.owner }),
            )}
            environmentTitle={name => TITLES[name]}
          />
        }
      />
      <Route path="/create/*" element={<Location />} />
    </Routes>,
    { api, entity: null, catalog },
  );
  const dialog = await screen.findByRole('dialog');
  await userEvent.click(
    await within(dialog).findByRole('button', { name: /^Adopt \d+ service/ }),
  );
  await within(dialog).findByText(/^Job completed:/, undefined, {
    timeout: 10_000,
  });
  return dialog;
}

const formDataOf = async () => {
  const location = await screen.findByRole('status', { name: 'location' });
  const url = new URL(location.textContent!, 'http://app');
  return [url.pathname, JSON.parse(url.searchParams.get('formData')!)] as const;
};

describe('BulkAdoptDialog: Import into Terraform', () => {
  it('opens the import template with the services the job adopted and their owner filled in', async () => {
    const dialog = await runJob([
      item('billing', 'adopted'),
      item('ledger', 'failed'),
      item('wishlist', 'already-adopted'),
    ]);
    await userEvent.click(
      await within(dialog).findByRole('button', {
        name: 'Import 2 services of team-payments into Terraform',
      }),
    );
    expect(await formDataOf()).toEqual([
      '/create/templates/default/import-ecs-services',
      {
        names: ['billing', 'wishlist'],
        owner: 'group:default/team-payments',
        environments: ['staging', 'prod'],
      },
    ]);
  });

  it('offers one import per owner and set of environments (the template imports one owner’s at a time)', async () => {
    const dialog = await runJob([
      item('billing', 'adopted'),
      item('search-api', 'adopted', 'group:default/team-search', ['staging']),
      item('cart-api', 'adopted'),
    ]);
    const links = await within(dialog).findAllByRole('button', {
      name: /into Terraform$/,
    });
    expect(links.map(l => l.textContent)).toEqual([
      'Import 2 services of team-payments (Staging, Production) into Terraform',
      'Import 1 service of team-search (Staging) into Terraform',
    ]);
    await userEvent.click(links[1]);
    expect(await formDataOf()).toEqual([
      '/create/templates/default/import-ecs-services',
      {
        names: ['search-api'],
        owner: 'group:default/team-search',
        environments: ['staging'],
      },
    ]);
  });

  it('says so without the template in the catalog', async () => {
    const dialog = await runJob([item('billing', 'adopted')], []);
    expect(
      await within(dialog).findByText(
        'No template import-ecs-services in the catalog to import them into Terraform',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: /into Terraform$/ }),
    ).toBeNull();
  });
});
