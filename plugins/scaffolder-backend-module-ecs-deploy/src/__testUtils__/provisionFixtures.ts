/*
 * Shared by the provision action's and the pipeline's tests: an environment in the emulator as
 * ecs-environment publishes it, options pointing at an endpoint and a private directory, a
 * workspace rendered by the real render-service, and a mock context whose logger keeps every line.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ecsClient,
  seedEnvironment as seedKitEnvironment,
} from '@internal/dev-kit';
import fs from 'node:fs';
import path from 'node:path';
import { ProvisionSettings } from '../config';
import { createRenderServiceAction } from '../actions/renderService';
import { SERVICE_VALUES, testOptions } from './fixtures';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const INITIAL_IMAGE = 'ghcr.io/acme/hello-world:1.0.0';

/** Seeds environment `env` as ecs-environment publishes it, with cluster prov-<env>. */
export function seedEnvironment(endpoint: string, env: string) {
  return seedKitEnvironment(endpoint, env, { cluster: `prov-${env}` });
}

export async function describeService(
  endpoint: string,
  env: string,
  name: string,
) {
  const { services } = await ecsClient(endpoint).send(
    new DescribeServicesCommand({ cluster: `prov-${env}`, services: [name] }),
  );
  return services?.find(s => s.status === 'ACTIVE');
}

/** Fixtures under `root` (publish directory `<root>/published`, states `<root>/state`). */
export function provisionFixtures(root: () => string) {
  const publishDir = () => path.join(root(), 'published');
  const stateDir = () => path.join(root(), 'state');

  function options(endpoint: string, environments = ['staging', 'prod', 'qa']) {
    return testOptions({
      environments: environments.map(name => ({
        name,
        region: 'us-east-1',
        endpoint,
      })),
      modulesSource: '../terraform-modules',
      localPublishDir: publishDir(),
      initialImage: INITIAL_IMAGE,
    });
  }

  function settings(
    overrides: Partial<ProvisionSettings['terraform']> = {},
    mode: ProvisionSettings['mode'] = 'terraform',
  ): ProvisionSettings {
    return {
      mode,
      terraform: {
        command: path.join(REPO_ROOT, 'scripts/terraform.sh'),
        timeoutMs: 240_000,
        stateDir: stateDir(),
        localEmulator: true,
        ...overrides,
      },
    };
  }

  /** Links the repository's terraform-modules into the publish directory, where the roots' copies run. */
  function linkModules() {
    fs.mkdirSync(publishDir(), { recursive: true });
    fs.symlinkSync(
      path.join(REPO_ROOT, 'terraform-modules'),
      path.join(publishDir(), 'terraform-modules'),
    );
  }

  /** Renders `name` with render-service into `<root>/workspace-<name>`; `extra` adds input. */
  async function render(
    name: string,
    environments: string[],
    endpoint: string,
    extra: object = {},
  ) {
    const workspacePath = path.join(root(), `workspace-${name}`);
    await createRenderServiceAction(options(endpoint)).handler(
      createMockActionContext({
        input: {
          name,
          owner: 'group:default/team-payments',
          description: name,
          ...SERVICE_VALUES,
          environments,
          desiredCounts: Object.fromEntries(
            environments.map(env => [
              env,
              (SERVICE_VALUES.desiredCounts as Record<string, number>)[env] ??
                1,
            ]),
          ),
          ...extra,
        },
        workspacePath,
      }) as any,
    );
    return workspacePath;
  }

  /** A mock context whose logger keeps every line as "level: message". */
  function context(
    workspacePath: string,
    input: object,
    extra: object = {},
  ): { ctx: any; lines: string[] } {
    const lines: string[] = [];
    const logger: any = {
      child: () => logger,
      ...Object.fromEntries(
        ['debug', 'info', 'warn', 'error'].map(level => [
          level,
          (message: string) => lines.push(`${level}: ${message}`),
        ]),
      ),
    };
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath,
      logger,
    });
    return { ctx: { ...ctx, ...extra }, lines };
  }

  return {
    publishDir,
    stateDir,
    options,
    settings,
    linkModules,
    render,
    context,
  };
}
