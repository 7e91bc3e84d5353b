import type { RootConfigService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendSettings,
  DEFAULT_ENVIRONMENTS,
  validateBackend,
  validateImageRepository,
  validateModulesSource,
  validateRegion,
} from './validation';

/** An environment the scaffolder may render a root for. */
export interface ScaffolderEnvironment {
  name: string;
  /** Region of the environment's cluster, the default `awsRegion` of its root. */
  region?: string;
}

/** Settings of the ECS deploy scaffolder actions, read once from `ecsDeploy`. */
export interface EcsDeployScaffolderOptions {
  /** Known environments, in configured order. */
  environments: ScaffolderEnvironment[];
  /** Default `modulesSource`, relative to the generated repository's root or a git source. */
  modulesSource: string;
  /** Image repository prefix used when the service is built from its own Dockerfile. */
  imageRepository: string;
  /** Region used when neither the input nor the environment names one. */
  defaultRegion: string;
  /** State backend of the generated roots. */
  backend: BackendSettings;
  /** Absolute directory `ecs-deploy:publish-local` copies repositories into. */
  localPublishDir: string;
  /** `ecsDeploy.permissions.adminGroups`: may name any existing group as a service's owner. */
  adminGroups: string[];
}

/** Default `modulesSource`: this repository's modules, seen from `.run/published/<name>`. */
export const DEFAULT_MODULES_SOURCE = '../../../terraform-modules';
/** Default image repository prefix. */
export const DEFAULT_IMAGE_REPOSITORY = 'ghcr.io/acme';
/** Default AWS region. */
export const DEFAULT_REGION = 'us-east-1';

/**
 * The repository root: the nearest ancestor of `from` holding `backstage.json` (the backend runs in
 * packages/backend), else `from` itself.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return path.resolve(from);
    }
    dir = parent;
  }
}

/** Reads `ecsDeploy.environments[]` and `ecsDeploy.scaffolder.*`; throws on invalid values. */
export function readEcsDeployScaffolderOptions(
  config: RootConfigService,
  opts: { cwd?: string } = {},
): EcsDeployScaffolderOptions {
  const cwd = opts.cwd ?? process.cwd();
  const environments: ScaffolderEnvironment[] = (
    config.getOptionalConfigArray('ecsDeploy.environments') ?? []
  ).map(env => ({
    name: env.getString('name'),
    region: env.getOptionalString('region'),
  }));

  const scaffolder = config.getOptionalConfig('ecsDeploy.scaffolder');
  const backendType = scaffolder?.getOptionalString('backend.type') ?? 'local';
  let backend: BackendSettings;
  if (backendType === 's3') {
    backend = validateBackend({
      type: 's3',
      bucket: scaffolder!.getString('backend.bucket'),
      keyPrefix: scaffolder!.getOptionalString('backend.keyPrefix') ?? '',
      region: scaffolder!.getOptionalString('backend.region'),
      dynamodbTable: scaffolder!.getOptionalString('backend.dynamodbTable'),
    });
  } else if (backendType === 'local' || backendType === 'none') {
    backend = { type: backendType };
  } else {
    throw new Error(
      `ecsDeploy.scaffolder.backend.type must be none, local or s3, got '${backendType}'`,
    );
  }

  const localPublishDir = scaffolder?.getOptionalString('localPublishDir');
  return {
    environments:
      environments.length > 0
        ? environments
        : DEFAULT_ENVIRONMENTS.map(name => ({ name })),
    modulesSource: validateModulesSource(
      scaffolder?.getOptionalString('modulesSource') ?? DEFAULT_MODULES_SOURCE,
      'ecsDeploy.scaffolder.modulesSource',
    ),
    imageRepository: validateImageRepository(
      scaffolder?.getOptionalString('imageRepository') ??
        DEFAULT_IMAGE_REPOSITORY,
      'ecsDeploy.scaffolder.imageRepository',
    ),
    defaultRegion: validateRegion(
      scaffolder?.getOptionalString('defaultRegion') ?? DEFAULT_REGION,
      'ecsDeploy.scaffolder.defaultRegion',
    ),
    backend,
    localPublishDir: localPublishDir
      ? path.resolve(cwd, localPublishDir)
      : path.join(findRepoRoot(cwd), '.run', 'published'),
    adminGroups:
      config.getOptionalStringArray('ecsDeploy.permissions.adminGroups') ?? [],
  };
}
