import { strategyJourney } from '../lib/strategyJourney';

// wishlist-api (team-payments) deploys to prod blue/green (terraform-modules/examples/demo/prod:
// all the traffic moves to the new tasks at once, then a 30-minute bake with the old ones kept for
// a rollback; the ecs-service module writes it to the strategy parameter the portal applies).
// Emulated minutes last 2 s: the bake is a minute.
strategyJourney(
  'J15: a blue/green deployment to prod shows its step and the bake left; the owner holds and continues it, an admin skips the bake (audited)',
  {
    service: 'wishlist-api',
    headline: 'Blue/green deployment: 100 % of the traffic on the new revision',
    steps: ['100 %, bake 30 min'],
    bake: 'all traffic',
    trafficPercent: 100,
    bakingShot: 'alice-blue-green-baking',
    reasons: {
      promote: 'e2e: release 1.1.0 blue/green',
      hold: 'e2e: watching green',
      skip: 'e2e: green is healthy',
    },
  },
);
