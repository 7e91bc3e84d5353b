import { EcsDeployScaffolderOptions } from '../config';

export { listFiles, readTree } from '@internal/dev-kit';

/** Options as the module reads them from a config with staging, prod and a local backend. */
export function testOptions(
  overrides: Partial<EcsDeployScaffolderOptions> = {},
): EcsDeployScaffolderOptions {
  return {
    environments: [
      { name: 'staging', region: 'us-east-1' },
      { name: 'prod', region: 'eu-west-1' },
    ],
    modulesSource: '../terraform-modules',
    imageRepository: 'ghcr.io/acme',
    defaultRegion: 'us-east-1',
    backend: { type: 'local' },
    localPublishDir: '/nonexistent/published',
    adminGroups: ['group:default/platform'],
    ...overrides,
  };
}

/**
 * The values check-service and render-service need besides name, owner and description (the
 * actions have no defaults of their own; the template passes every value).
 */
export const SERVICE_VALUES = {
  port: 8080,
  cpu: 256,
  memory: 512,
  healthCheckPath: '/healthz',
  environments: ['staging', 'prod'],
  desiredCounts: { staging: 1, prod: 2 },
};
