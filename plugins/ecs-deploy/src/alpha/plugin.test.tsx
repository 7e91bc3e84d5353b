import { screen } from '@testing-library/react';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ecsDeployApiRef } from '../api';
import {
  ecsDeployPlugin,
  ecsDeploymentsEntityCard,
  ecsDeploymentsEntityContent,
  ecsTeamDeploymentsEntityContent,
} from './plugin';
import {
  entity,
  groupEntity,
  mockEcsDeployApi,
} from '../__testUtils__/fixtures';

function apis(api = mockEcsDeployApi()) {
  return [
    [ecsDeployApiRef, api],
    mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
  ] as const;
}

describe('ecs-deploy plugin (new frontend system)', () => {
  it('has the plugin id and every extension', () => {
    expect(ecsDeployPlugin.pluginId).toBe('ecs-deploy');
    expect(ecsDeployPlugin.getExtension('api:ecs-deploy')).toBeDefined();
    expect(
      ecsDeployPlugin.getExtension('entity-card:ecs-deploy/deployments'),
    ).toBeDefined();
    expect(
      ecsDeployPlugin.getExtension('entity-content:ecs-deploy/deployments'),
    ).toBeDefined();
    expect(
      ecsDeployPlugin.getExtension(
        'entity-content:ecs-deploy/team-deployments',
      ),
    ).toBeDefined();
    expect(ecsDeployPlugin.getExtension('page:ecs-deploy')).toBeDefined();
    expect(
      ecsDeployPlugin.getExtension(
        'scaffolder-form-field:ecs-deploy/service-name',
      ),
    ).toBeDefined();
  });

  it('renders the card on an annotated entity', async () => {
    const api = mockEcsDeployApi();
    renderTestApp({
      extensions: [createTestEntityPage({ entity }), ecsDeploymentsEntityCard],
      apis: apis(api),
    });
    expect(await screen.findByText('ECS deployments')).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Production' }),
    ).toBeInTheDocument();
  });

  it('does not render the card on an entity without the annotation', async () => {
    const api = mockEcsDeployApi();
    const plain = {
      ...entity,
      metadata: { name: 'plain', namespace: 'default' },
    };
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: plain }),
        ecsDeploymentsEntityCard,
      ],
      apis: apis(api),
    });
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByText('ECS deployments')).not.toBeInTheDocument();
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('renders the Deployments tab content on an annotated entity', async () => {
    const api = mockEcsDeployApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity }),
        ecsDeploymentsEntityContent,
      ],
      apis: apis(api),
    });
    expect(
      await screen.findByRole('group', {
        name: 'Promotion from Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('list', { name: 'Timeline of Production' }),
    ).toBeInTheDocument();
  });

  it('renders the team Deployments tab on a group', async () => {
    const api = mockEcsDeployApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: groupEntity }),
        ecsTeamDeploymentsEntityContent,
      ],
      apis: apis(api),
    });
    expect(
      await screen.findByRole('table', { name: 'Team deployments' }),
    ).toBeInTheDocument();
    expect(api.getTeamStatus).toHaveBeenCalledWith(
      'group:default/team-payments',
    );
  });
});
