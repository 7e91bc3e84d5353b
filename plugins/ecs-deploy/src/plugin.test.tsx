import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { screen } from '@testing-library/react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { Entity } from '@backstage/catalog-model';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
  type FieldExtensionOptions,
} from '@backstage/plugin-scaffolder-react';
import {
  ecsDeployPlugin,
  EcsDeploymentsPage,
  EcsServiceNameFieldExtension,
  EntityEcsDeploymentsCard,
  EntityEcsDeploymentsContent,
  EntityEcsTeamDeploymentsContent,
} from './plugin';
import { ecsDeployApiRef } from './api';
import {
  entityContentRouteRef,
  rootRouteRef,
  teamContentRouteRef,
  unclaimedRouteRef,
} from './routes';
import {
  entity,
  groupEntity,
  mockEcsDeployApi,
} from './__testUtils__/fixtures';

/**
 * Renders legacy exports as an app on the legacy frontend system does: in `@backstage/test-utils`'
 * test app, with the plugin's route refs mounted.
 */
async function renderLegacy(
  element: ReactNode,
  options: { entity?: Entity; path?: string } = {},
) {
  const api = mockEcsDeployApi();
  // A routable extension is mounted on a path, as in the app's routes or an EntityLayout.Route.
  const mounted = options.path ? (
    <Routes>
      <Route path={`${options.path}/*`} element={element} />
    </Routes>
  ) : (
    element
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [ecsDeployApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      {options.entity ? (
        <EntityProvider entity={options.entity}>{mounted}</EntityProvider>
      ) : (
        mounted
      )}
    </TestApiProvider>,
    {
      routeEntries: [options.path ?? '/'],
      // Where the catalog's entity pages are: the views link every service to its page.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return api;
}

describe('ecs-deploy plugin (legacy frontend system)', () => {
  it('is created with its id, API factory and route refs', () => {
    expect(ecsDeployPlugin.getId()).toBe('ecs-deploy');
    const apis = [...ecsDeployPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toEqual([ecsDeployApiRef.id]);
    expect(ecsDeployPlugin.routes).toEqual({
      root: rootRouteRef,
      entityContent: entityContentRouteRef,
      teamContent: teamContentRouteRef,
      unclaimed: unclaimedRouteRef,
    });
  });

  it('renders the overview card of an annotated entity', async () => {
    const api = await renderLegacy(<EntityEcsDeploymentsCard />, { entity });
    expect(await screen.findByText('ECS deployments')).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Production' }),
    ).toBeInTheDocument();
    expect(api.getEntityStatus).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('renders the Deployments tab of an entity', async () => {
    await renderLegacy(<EntityEcsDeploymentsContent />, {
      entity,
      path: '/catalog/default/component/payments-api/deployments',
    });
    expect(
      await screen.findByRole('group', {
        name: 'Promotion from Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No promotions or rollbacks yet.'),
    ).toBeInTheDocument();
  });

  it('renders the team view of a group', async () => {
    const api = await renderLegacy(<EntityEcsTeamDeploymentsContent />, {
      entity: groupEntity,
      path: '/catalog/default/group/team-payments/deployments',
    });
    expect(
      await screen.findByRole('table', { name: 'Team deployments' }),
    ).toBeInTheDocument();
    expect(api.getTeamStatus).toHaveBeenCalledWith(
      'group:default/team-payments',
    );
  });

  it('renders the organisation-wide page', async () => {
    const api = await renderLegacy(<EcsDeploymentsPage />, {
      path: '/ecs-deploy',
    });
    expect(
      await screen.findByRole('table', { name: 'Services of every team' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Deployments' })).toBeVisible();
    expect(api.getOrgStatus).toHaveBeenCalledWith({
      sort: 'name',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
  });

  it('provides the EcsServiceName field to the scaffolder, with its validation', async () => {
    let found: FieldExtensionOptions<string>[] = [];
    /** What the scaffolder page finds among its `<ScaffolderFieldExtensions>`, rendered. */
    function ScaffolderFields() {
      found = useCustomFieldExtensions<FieldExtensionOptions<string>>(
        <ScaffolderFieldExtensions>
          <EcsServiceNameFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      const Field = found.find(f => f.name === 'EcsServiceName')?.component;
      return Field ? (
        <Field
          {...({} as any)}
          schema={{ title: 'Name' }}
          formData="Payments_API"
          onChange={() => {}}
        />
      ) : null;
    }
    const api = await renderLegacy(<ScaffolderFields />);
    // The field: the shared name rule answers at once.
    expect(await screen.findByDisplayValue('Payments_API')).toBeInTheDocument();
    expect(screen.getByText(/^"Payments_API" /)).toBeInTheDocument();

    // Its validation (on Next and Create) asks the portal whether the name is taken.
    api.checkServiceName.mockResolvedValueOnce({
      name: 'search-api',
      available: false,
      conflicts: [
        {
          code: 'entity-exists',
          message: 'component:default/search-api already exists',
        },
      ],
    });
    const errors: string[] = [];
    await found[0].validation!(
      'search-api',
      { addError: (e: string) => errors.push(e) } as any,
      { apiHolder: { get: () => api } } as any,
    );
    expect(errors).toEqual(['component:default/search-api already exists']);
    expect(api.checkServiceName).toHaveBeenCalledWith('search-api');
  });
});
