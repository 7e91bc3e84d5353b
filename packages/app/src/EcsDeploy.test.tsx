import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy/alpha';
import {
  ecsDeployApiRef,
  type EcsDeployApi,
} from '@deployment-portal/plugin-ecs-deploy';

/*
 * The app's features in a test app: the real catalog plugin and the ECS deploy plugin from its
 * `./alpha` entry (which `app.packages: all` discovers at build time), with the backends mocked.
 */

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'ecs-deploy.io/service-name': 'payments-api' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

function environment(name: string, revision: number, tag: string) {
  const taskDefinition = {
    arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/payments-api-${name}:${revision}`,
    family: `payments-api-${name}`,
    revision,
  };
  const images = [{ container: 'app', image: `payments-api:${tag}`, tag }];
  return {
    environment: name,
    region: 'us-east-1',
    cluster: `demo-${name}`,
    serviceName: 'payments-api',
    health: 'healthy' as const,
    problems: [],
    service: {
      arn: `arn:aws:ecs:us-east-1:123456789012:service/demo-${name}/payments-api`,
      name: 'payments-api',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition,
      images,
      rolloutState: 'COMPLETED' as const,
      deployments: [
        {
          id: `${name}-1`,
          status: 'PRIMARY',
          taskDefinition,
          images,
          rolloutState: 'COMPLETED' as const,
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          failedTasks: 0,
        },
      ],
      events: [],
    },
    links: { logs: [] },
    fetchedAt: '2026-11-20T10:00:00Z',
  };
}

function ecsDeployApi(): EcsDeployApi {
  return {
    getInfo: jest.fn().mockResolvedValue({
      environments: [
        {
          name: 'staging',
          title: 'Staging',
          region: 'us-east-1',
          cluster: 'demo-staging',
        },
        {
          name: 'prod',
          title: 'Production',
          region: 'us-east-1',
          cluster: 'demo-prod',
        },
      ],
      promotionPaths: [{ from: 'staging', to: 'prod' }],
      activeFreezeWindows: [],
    }),
    getEntityStatus: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      environments: [
        environment('staging', 12, 'v1.5.0'),
        environment('prod', 7, 'v1.4.0'),
      ],
      promotionPaths: [{ from: 'staging', to: 'prod' }],
    }),
    getEnvironmentTasks: jest
      .fn()
      .mockImplementation(async (_ref: string, env: string) => ({
        environment: env,
        tasks: [],
      })),
    getPromotionPreview: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      from: 'staging',
      to: 'prod',
      changes: [],
      blockers: [],
      allowed: true,
    }),
    promote: jest.fn(),
    getRollbackPreview: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      environment: 'prod',
      blockers: [],
      allowed: false,
    }),
    rollback: jest.fn(),
    getHistory: jest.fn().mockResolvedValue({ items: [] }),
    getTeamStatus: jest.fn(),
    getLogs: jest.fn().mockResolvedValue({ environment: 'prod', lines: [] }),
    getOrgStatus: jest.fn(),
    checkServiceName: jest.fn(),
    getPromotionRequests: jest.fn().mockResolvedValue({ items: [] }),
    requestPromotion: jest.fn(),
    approvePromotionRequest: jest.fn(),
    rejectPromotionRequest: jest.fn(),
    getVerifications: jest
      .fn()
      .mockResolvedValue({ items: [], canReverify: false }),
    resolveVerification: jest.fn(),
    getDeploymentControls: jest.fn(),
    controlDeployment: jest.fn(),
    getUnclaimedServices: jest.fn(),
    getAdopter: jest.fn().mockResolvedValue({
      userEntityRef: 'user:default/alice',
      admin: false,
      groups: ['group:default/team-payments'],
    }),
    adoptService: jest.fn(),
    previewAdoptionJob: jest.fn(),
    startAdoptionJob: jest.fn(),
    getAdoptionJob: jest.fn(),
  };
}

/** The app with the catalog and our plugin, on `route`, with `api` as the ECS deploy API. */
function renderApp(
  api: ReturnType<typeof ecsDeployApi>,
  route: string,
  entities: NonNullable<Parameters<typeof catalogApiMock>[0]>['entities'] = [
    entity,
  ],
) {
  renderTestApp({
    features: [catalogPlugin, ecsDeployPlugin],
    apis: [
      catalogApiMock({ entities }),
      [ecsDeployApiRef, api],
      mockApis.permission(),
    ],
    initialRouteEntries: [route],
  });
}

/** The whole app renders in jsdom: on a busy machine a view takes seconds, not the default 1 s. */
const LOADED = { timeout: 15000 };

describe('ECS deploy in the app', () => {
  jest.setTimeout(120000);

  it('shows the deployments card on the entity overview and the Deployments tab', async () => {
    const api = ecsDeployApi();
    renderApp(api, '/catalog/default/component/payments-api');

    // The first render transforms and loads the lazy catalog pages: give it time.
    expect(
      await screen.findByText('ECS deployments', undefined, { timeout: 30000 }),
    ).toBeInTheDocument();
    const prod = await screen.findByRole(
      'region',
      { name: 'Production' },
      LOADED,
    );
    expect(within(prod).getByText('payments-api-prod:7')).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'button',
        { name: 'Promote staging to prod' },
        LOADED,
      ),
    ).toBeEnabled();

    // The entity's tab (the sidebar links the organisation view, also "Deployments").
    const tab = screen
      .getAllByRole('link', { name: 'Deployments' })
      .find(link => link.getAttribute('href')?.endsWith('/deployments'))!;
    expect(tab).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/deployments',
    );
    await userEvent.click(tab);
    expect(
      await screen.findByRole(
        'group',
        { name: 'Promotion from Staging to Production' },
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'list',
        { name: 'Timeline of Production' },
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Promotion and rollback history',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(api.getHistory).toHaveBeenCalledWith(
      'component:default/payments-api',
      { limit: 50 },
    );
  });

  it('shows the team Deployments tab on a group page', async () => {
    const api = ecsDeployApi();
    (api.getTeamStatus as jest.Mock).mockResolvedValue({
      groupRef: 'group:default/team-payments',
      environments: ['staging', 'prod'],
      rows: [
        {
          entityRef: 'component:default/payments-api',
          title: 'Payments API',
          environments: {
            staging: {
              health: 'healthy',
              images: [
                {
                  container: 'app',
                  image: 'payments-api:v1.5.0',
                  tag: 'v1.5.0',
                },
              ],
            },
            prod: {
              health: 'healthy',
              images: [
                {
                  container: 'app',
                  image: 'payments-api:v1.4.0',
                  tag: 'v1.4.0',
                },
              ],
            },
          },
          lags: [
            { from: 'staging', to: 'prod', state: 'behind', lagging: true },
          ],
        },
      ],
    });
    renderApp(api, '/catalog/default/group/team-payments/deployments', [
      entity,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-payments', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
    ]);

    const table = await screen.findByRole(
      'table',
      { name: 'Team deployments' },
      { timeout: 30000 },
    );
    expect(within(table).getByText('prod behind staging')).toBeInTheDocument();
    expect(api.getTeamStatus).toHaveBeenCalledWith(
      'group:default/team-payments',
    );
    // The component tab is not offered on the group.
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('opens the organisation-wide view at /ecs-deploy, linked from the sidebar', async () => {
    const api = ecsDeployApi();
    (api.getOrgStatus as jest.Mock).mockResolvedValue({
      environments: ['staging', 'prod'],
      total: 1,
      offset: 0,
      teams: ['group:default/team-payments'],
      rows: [
        {
          entityRef: 'component:default/payments-api',
          title: 'Payments API',
          owner: 'group:default/team-payments',
          environments: {
            staging: { health: 'healthy', images: [] },
            prod: { health: 'failed', images: [] },
          },
          lags: [
            { from: 'staging', to: 'prod', state: 'unknown', lagging: false },
          ],
        },
      ],
    });
    renderApp(api, '/ecs-deploy');
    const table = await screen.findByRole(
      'table',
      { name: 'Services of every team' },
      { timeout: 30000 },
    );
    expect(within(table).getByText('Failed')).toBeInTheDocument();
    // The sidebar's item for the page, current.
    expect(
      screen
        .getAllByRole('link', { name: 'Deployments' })
        .find(link => link.getAttribute('aria-current') === 'page'),
    ).toHaveAttribute('href', '/ecs-deploy');
    expect(api.getOrgStatus).toHaveBeenCalledWith({
      sort: 'name',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
  });

  it('opens the unclaimed services at /ecs-deploy/unclaimed, linked from the organisation view and the sidebar', async () => {
    const api = ecsDeployApi();
    (api.getOrgStatus as jest.Mock).mockResolvedValue({
      environments: ['staging', 'prod'],
      total: 0,
      offset: 0,
      teams: [],
      rows: [],
    });
    (api.getUnclaimedServices as jest.Mock).mockResolvedValue({
      total: 1,
      offset: 0,
      items: [
        {
          environment: 'staging',
          cluster: 'demo-staging',
          serviceName: 'billing',
          serviceArn:
            'arn:aws:ecs:us-east-1:123456789012:service/demo-staging/billing',
          reason: 'no-tag',
          desiredCount: 1,
          runningCount: 1,
          taskDefinition:
            'arn:aws:ecs:us-east-1:123456789012:task-definition/billing:1',
          containers: [{ name: 'app', image: 'ghcr.io/acme/billing:1' }],
          tags: { team: 'payments' },
          suggestedOwner: 'group:default/team-payments',
          suggestedName: 'billing',
        },
      ],
      counts: {
        environments: { staging: 1, prod: 0 },
        owners: { 'group:default/team-payments': 1 },
      },
    });
    renderApp(api, '/ecs-deploy');
    await userEvent.click(
      await screen.findByRole(
        'link',
        { name: 'Unclaimed services' },
        { timeout: 30000 },
      ),
    );
    const table = await screen.findByRole(
      'table',
      { name: 'Unclaimed ECS services' },
      { timeout: 30000 },
    );
    expect(
      within(table).getByRole('button', { name: 'Adopt billing' }),
    ).toBeEnabled();
    // The sidebar's item for the page, current.
    expect(
      screen
        .getAllByRole('link', { name: 'Unclaimed services' })
        .find(link => link.getAttribute('aria-current') === 'page'),
    ).toHaveAttribute('href', '/ecs-deploy/unclaimed');
  });
});
