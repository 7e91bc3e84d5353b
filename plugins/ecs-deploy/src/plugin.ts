import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  type FieldExtensionComponent,
} from '@backstage/plugin-scaffolder-react';
import { EcsDeployClient, ecsDeployApiRef } from './api';
import {
  ServiceNameField,
  serviceNameValidation,
} from './components/ServiceNameField/ServiceNameField';
import {
  entityContentRouteRef,
  rootRouteRef,
  teamContentRouteRef,
  unclaimedRouteRef,
} from './routes';

/**
 * The ECS deploy plugin for apps on the legacy frontend system. Apps on the new frontend system
 * use the default export of `@deployment-portal/plugin-ecs-deploy/alpha`.
 *
 * @public
 */
export const ecsDeployPlugin = createPlugin({
  id: 'ecs-deploy',
  apis: [
    createApiFactory({
      api: ecsDeployApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EcsDeployClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
    teamContent: teamContentRouteRef,
    unclaimed: unclaimedRouteRef,
  },
});

/**
 * Overview card: the entity's environments side by side, with promotion buttons.
 *
 * @public
 */
export const EntityEcsDeploymentsCard: () => JSX.Element =
  ecsDeployPlugin.provide(
    createComponentExtension({
      name: 'EntityEcsDeploymentsCard',
      component: {
        lazy: () =>
          import('./components/EcsDeploymentsCard').then(
            m => m.EcsDeploymentsCard,
          ),
      },
    }),
  );

/**
 * "Deployments" tab of an entity: deployments, events, tasks and history per environment.
 *
 * @public
 */
export const EntityEcsDeploymentsContent: () => JSX.Element =
  ecsDeployPlugin.provide(
    createRoutableExtension({
      name: 'EntityEcsDeploymentsContent',
      component: () =>
        import('./components/EcsDeploymentsContent').then(
          m => m.EcsDeploymentsContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );

/**
 * "Deployments" tab of a Group entity: every service the team owns.
 *
 * @public
 */
export const EntityEcsTeamDeploymentsContent: () => JSX.Element =
  ecsDeployPlugin.provide(
    createRoutableExtension({
      name: 'EntityEcsTeamDeploymentsContent',
      component: () =>
        import('./components/TeamDeployments').then(
          m => m.TeamDeploymentsContent,
        ),
      mountPoint: teamContentRouteRef,
    }),
  );

/**
 * The organisation-wide view: every service of every team with its environments and promotion
 * state, filtered, searched, sorted and paged by the backend. Mount it at `/ecs-deploy`.
 *
 * @public
 */
export const EcsDeploymentsPage: () => JSX.Element = ecsDeployPlugin.provide(
  createRoutableExtension({
    name: 'EcsDeploymentsPage',
    component: () =>
      import('./components/OrgDeployments').then(m => m.OrgDeploymentsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The ECS services that run but that no catalog entity owns: counts per environment and
 * suggested team, filters, Adopt (the "Adopt an existing ECS service" template, filled in) and,
 * for admins, a bulk selection. Mount it at `/ecs-deploy/unclaimed` (the organisation view links
 * it there).
 *
 * @public
 */
export const EcsUnclaimedServicesPage: () => JSX.Element =
  ecsDeployPlugin.provide(
    createRoutableExtension({
      name: 'EcsUnclaimedServicesPage',
      component: () =>
        import('./components/UnclaimedServices').then(
          m => m.UnclaimedServicesPage,
        ),
      mountPoint: unclaimedRouteRef,
    }),
  );

/**
 * Scaffolder form field `ui:field: EcsServiceName`: the name rule as you type, then whether the
 * name is free (no entity, no ECS service in any environment). Place it inside
 * `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * @public
 */
export const EcsServiceNameFieldExtension: FieldExtensionComponent<string, {}> =
  ecsDeployPlugin.provide(
    createScaffolderFieldExtension({
      name: 'EcsServiceName',
      component: ServiceNameField,
      validation: serviceNameValidation,
    }),
  );
