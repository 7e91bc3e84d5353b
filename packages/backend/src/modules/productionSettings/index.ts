/*
 * Stops a production start (NODE_ENV=production) whose configuration lacks what production
 * needs, before any plugin starts: one line per missing or local setting, naming its key, then
 * exit code 1. A root service initialised eagerly, so it runs right after the configuration is
 * read and before a plugin connects to a database or an AWS account.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { checkProductionSettings } from './checkProductionSettings';

export { checkProductionSettings } from './checkProductionSettings';

const productionSettingsServiceRef = createServiceRef<void>({
  id: 'portal.production-settings',
  scope: 'root',
});

export const productionSettingsServiceFactory = createServiceFactory({
  service: productionSettingsServiceRef,
  initialization: 'always',
  deps: { config: coreServices.rootConfig },
  factory({ config }) {
    if (process.env.NODE_ENV !== 'production') return;
    // Only the smoke test of the built bundle on the local default sets it.
    if (config.getOptionalBoolean('portal.dangerouslyAllowLocalDefaults'))
      return;
    const problems = checkProductionSettings(config);
    if (problems.length === 0) return;
    for (const problem of problems) {
      process.stderr.write(`error: production settings: ${problem}\n`);
    }
    process.exit(1);
  },
});
