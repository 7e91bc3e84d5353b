/*
 * Stops a production start (NODE_ENV=production) whose configuration lacks what production
 * needs: one line per missing or local setting, naming its key, then exit code 1. It is the
 * backend's root configuration service (Backstage's own, plus the check), so it runs as soon as
 * the configuration is read: before the HTTP server listens and before any plugin connects to
 * a database, a cache or an AWS account.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { checkProductionSettings } from './checkProductionSettings';

export { checkProductionSettings } from './checkProductionSettings';

function stopUnlessProductionReady(config: Config) {
  if (process.env.NODE_ENV !== 'production') return;
  // Only the smoke test of the built bundle on the local default sets it.
  if (config.getOptionalBoolean('portal.dangerouslyAllowLocalDefaults')) return;
  const problems = checkProductionSettings(config);
  if (problems.length === 0) return;
  for (const problem of problems) {
    process.stderr.write(`error: production settings: ${problem}\n`);
  }
  process.exit(1);
}

/** coreServices.rootConfig as @backstage/backend-defaults builds it, checked for production. */
export const rootConfigWithProductionCheck = createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  async factory() {
    const source = ConfigSources.default({});
    console.log(`Loading config from ${source}`);
    const config = await ConfigSources.toConfig(source);
    stopUnlessProductionReady(config);
    return config;
  },
});
