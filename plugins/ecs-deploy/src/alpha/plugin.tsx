import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import AddToQueueIcon from '@material-ui/icons/AddToQueue';
import { isEcsDeployAvailable } from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployClient, ecsDeployApiRef } from '../api';

/** Groups get the team view (unless a group itself carries the ECS annotation). */
function isGroup(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'group' &&
    !isEcsDeployAvailable(entity)
  );
}

/** The {@link EcsDeployApi} backed by the `ecs-deploy` backend. */
export const ecsDeployApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ecsDeployApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EcsDeployClient({ discoveryApi, fetchApi }),
    }),
});

/** Overview card on entities with the ECS deploy annotation. */
export const ecsDeploymentsEntityCard = EntityCardBlueprint.make({
  name: 'deployments',
  params: {
    filter: isEcsDeployAvailable,
    loader: () =>
      import('../components/EcsDeploymentsCard').then(m => (
        <m.EcsDeploymentsCard />
      )),
  },
});

/** "Deployments" tab on entities with the ECS deploy annotation. */
export const ecsDeploymentsEntityContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: 'deployments',
    title: 'Deployments',
    filter: isEcsDeployAvailable,
    loader: () =>
      import('../components/EcsDeploymentsContent').then(m => (
        <m.EcsDeploymentsContent />
      )),
  },
});

/** "Deployments" tab on Group entities: every service the team owns. */
export const ecsTeamDeploymentsEntityContent = EntityContentBlueprint.make({
  name: 'team-deployments',
  params: {
    path: 'deployments',
    title: 'Deployments',
    filter: isGroup,
    loader: () =>
      import('../components/TeamDeployments').then(m => (
        <m.TeamDeploymentsContent />
      )),
  },
});

/** The organisation-wide view's route: a page with a route ref gets a sidebar item. */
export const rootRouteRef = createRouteRef();

/** Standalone page (in the sidebar): every service of every team, with a "my team" shortcut. */
export const ecsDeploymentsPage = PageBlueprint.make({
  params: {
    path: '/ecs-deploy',
    routeRef: rootRouteRef,
    title: 'Deployments',
    icon: <CloudUploadIcon />,
    loader: () =>
      import('../components/OrgDeployments').then(m => (
        <m.OrgDeploymentsPage />
      )),
  },
});

/** The unclaimed services page's route. */
export const unclaimedRouteRef = createRouteRef();

/** Standalone page (in the sidebar): the ECS services nobody owns yet, to adopt. */
export const ecsUnclaimedServicesPage = PageBlueprint.make({
  name: 'unclaimed',
  params: {
    path: '/ecs-deploy/unclaimed',
    routeRef: unclaimedRouteRef,
    title: 'Unclaimed services',
    icon: <AddToQueueIcon />,
    loader: () =>
      import('../components/UnclaimedServices').then(m => (
        <m.UnclaimedServicesPage />
      )),
  },
});

/** Scaffolder form field `EcsServiceName`: the name rule at once, then whether the name is free. */
export const ecsServiceNameFormField = FormFieldBlueprint.make({
  name: 'service-name',
  params: {
    field: () =>
      import('../components/ServiceNameField').then(
        m => m.ecsServiceNameFormField,
      ),
  },
});

/**
 * The ECS deploy plugin for the new frontend system.
 *
 * @alpha
 */
export const ecsDeployPlugin = createFrontendPlugin({
  pluginId: 'ecs-deploy',
  title: 'ECS deployments',
  icon: <CloudUploadIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: { root: rootRouteRef, unclaimed: unclaimedRouteRef },
  extensions: [
    ecsDeployApi,
    ecsDeploymentsEntityCard,
    ecsDeploymentsEntityContent,
    ecsTeamDeploymentsEntityContent,
    ecsDeploymentsPage,
    ecsUnclaimedServicesPage,
    ecsServiceNameFormField,
  ],
});
