#!/usr/bin/env node
// The production overlay, proven (scripts/test-production.sh builds the bundle and runs this):
// the built backend started with NODE_ENV=production on app-config.yaml + app-config.production.yaml
// + environment variables only, on PostgreSQL and Redis (PRODUCTION_PG_URL, PRODUCTION_REDIS_URL),
// the local OpenID provider, the local LDAP directory (users and groups) and the emulator standing
// for AWS, reached through explicit settings only. Checks that a start without a required setting
// stops with one line naming it; then sign-in through the provider's login form (the OIDC code
// flow over HTTP), status, promote, the follower, notifications, the audit, a team change in the
// directory, and error bodies without stack traces. Ends with "production: N passed, N failed";
// writes $RESULTS_DIR/production.counts.
import { checkRunner, startBackend } from '@internal/dev-kit';
import { portalChecks } from './production/portal.mjs';
import { refusalChecks } from './production/refusals.mjs';
import { startStack, work } from './production/stack.mjs';

const checks = checkRunner('production');
const started = [];

try {
  const stack = await startStack(started);
  const { bundleDir, port, env } = stack;
  await refusalChecks(checks, stack);

  let backend;
  await checks.check(
    'starts on PostgreSQL, Redis, the OpenID provider, the directory and the emulator',
    async () => {
      const { APP_BASE_URL, APP_CONFIG_backend_listen, ...rest } = env;
      backend = await startBackend({
        name: 'production',
        from: 'bundle',
        production: true,
        bundleDir,
        port,
        dir: work,
        env: rest,
        readyTimeoutMs: 180_000,
      });
      started.push(backend);
    },
  );
  if (!backend) throw new Error('the production backend did not start');
  await portalChecks(checks, { ...stack, backend });
} catch (e) {
  checks.fail('setup', e);
} finally {
  for (const s of started.reverse()) await s.stop().catch(() => {});
  process.exit(checks.finish() ? 0 : 1);
}
