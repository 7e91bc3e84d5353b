import { strategyJourney } from '../lib/strategyJourney';

// cart-api (team-payments) deploys to prod as a canary (terraform-modules/examples/demo/prod:
// 25 % for 30 minutes, then all the traffic for 1 minute; the ecs-service module writes it to the
// strategy parameter the portal applies). Emulated minutes last 2 s: the step bake is a minute.
strategyJourney(
  'J12: a canary to prod shows its steps, traffic and bake; the owner holds and continues it, an admin skips the bake (audited)',
  {
    service: 'cart-api',
    headline: 'Canary deployment: 25 % of the traffic on the new revision',
    steps: ['25 %, bake 30 min', '100 %, bake 1 min'],
    bake: 'this step',
    trafficPercent: 25,
    bakingShot: 'alice-canary-at-25-percent',
    reasons: {
      promote: 'e2e: release 1.1.0',
      hold: 'e2e: watching the canary',
      skip: 'e2e: the canary is healthy',
    },
  },
);
