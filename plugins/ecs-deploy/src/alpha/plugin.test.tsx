import { screen } from '@testing-library/react';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ecsDeployApiRef } from '../api';
import {
  ecsDeployApi,
  ecsDeployPlugin,
  ecsDeploymentsEntityCard,
  ecsDeploymentsEntityContent,
  ecsDeploymentsPage,
  ecsServiceNameFormField,
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
  it('has the plugin id and installs every extension under its id', () => {
    expect(ecsDeployPlugin.pluginId).toBe('ecs-deploy');
    const expected = [
      ['api:ecs-deploy', ecsDeployApi],
      ['entity-card:ecs-deploy/deployments', ecsDeploymentsEntityCard],
      ['entity-content:ecs-deploy/deployments', ecsDeploymentsEntityContent],
      [
        'entity-content:ecs-deploy/team-deployments',
        ecsTeamDeploymentsEntityContent,
      ],
      ['page:ecs-deploy', ecsDeploymentsPage],
      [
        'scaffolder-form-field:ecs-deploy/service-name',
        ecsServiceNameFormField,
      ],
    ] as const;
    for (const [id, extension] of expected) {
      // The plugin's copy of the definition, placed in its namespace.
      expect(ecsDeployPlugin.getExtension(id)).toEqual({
        ...extension,
        namespace: 'ecs-deploy',
      });
    }
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
    // The page has rendered, without the card: its filter turned the entity away.
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
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
