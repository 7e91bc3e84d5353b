import { createRouteRef } from '@backstage/core-plugin-api';

/** Mount point of the organisation-wide view (legacy frontend system). */
export const rootRouteRef = createRouteRef({ id: 'ecs-deploy' });

/** Mount point of the entity "Deployments" tab (legacy frontend system). */
export const entityContentRouteRef = createRouteRef({
  id: 'ecs-deploy:entity-content',
});

/** Mount point of the group "Deployments" tab (legacy frontend system). */
export const teamContentRouteRef = createRouteRef({
  id: 'ecs-deploy:team-content',
});

/** Mount point of the unclaimed services page (legacy frontend system). */
export const unclaimedRouteRef = createRouteRef({
  id: 'ecs-deploy:unclaimed',
});
