import {
  resolvePackagePath,
  type LoggerService,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { imageReferenceProblem } from '@deployment-portal/plugin-ecs-deploy-common';
import {
  BackendSettings,
  DEFAULT_ENVIRONMENTS,
  validateBackend,
  validateImageRepository,
  validateModulesSource,
  validateRegion,
} from './validation';
import { readTerraformRole, TerraformRoleSettings } from './terraformRole';

/** An environment the scaffolder may render a root for. @public */
export interface ScaffolderEnvironment {
  name: string;
  /** Region of the environment's cluster, the default `awsRegion` of its root. */
  region?: string;
  /** AWS endpoint of a local emulator (`ecsDeploy.environments[].endpoint`); unset for real AWS. */
  endpoint?: string;
  /** Account of the environment's cluster (`ecsDeploy.environments[].accountId`). */
  accountId?: string;
}

/** Settings of the ECS deploy scaffolder actions, read once from `ecsDeploy`. @public */
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
  /** Image of a new service's first deployment when the template names none (`initialImage`). */
  initialImage?: string;
  /** `ecsDeploy.permissions.adminGroups`: may name any existing group as a service's owner. */
  adminGroups: string[];
  /** The role generated roots assume in their environment's account; unset: the caller's credentials. */
  terraformRole?: TerraformRoleSettings;
}

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

/**
 * The Terraform modules generated roots use by default: those packed into this package
 * (`terraform-modules/`, see scripts/pack-assets.mjs), or the repository's `terraform-modules/`
 * when the backend runs from the sources.
 */
function defaultModulesDir(cwd: string): string {
  const packed = resolvePackagePath(
    '@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy',
    'terraform-modules',
  );
  return fs.existsSync(packed)
    ? packed
    : path.join(findRepoRoot(cwd), 'terraform-modules');
}

/**
 * Default `modulesSource`: the default modules directory relative to a repository published to
 * `<localPublishDir>/<name>` (where `ecs-deploy:provision` runs the roots from).
 */
function defaultModulesSource(localPublishDir: string, cwd: string): string {
  return path
    .relative(path.join(localPublishDir, 'name'), defaultModulesDir(cwd))
    .split(path.sep)
    .join('/');
}

function readInitialImage(value: string | undefined): string | undefined {
  const problem =
    value === undefined ? undefined : imageReferenceProblem(value);
  if (problem) {
    throw new Error(
      `ecsDeploy.scaffolder.initialImage '${value}' is invalid: ${problem}`,
    );
  }
  return value;
}

/** Who applies a new service's Terraform roots (`ecsDeploy.scaffolder.provision`). */
export type ProvisionMode = 'terraform' | 'pipeline' | 'none';

/** Settings of `ecs-deploy:provision`, read once from `ecsDeploy.scaffolder`. */
export interface ProvisionSettings {
  mode: ProvisionMode;
  terraform: {
    /** `terraform` or a wrapper that execs it (absolute when configured as a path). */
    command: string;
    /** Limit of one environment, init + apply (`terraform.timeout`). */
    timeoutMs: number;
    /** Local backend: the state is `<stateDir>/<service>/<environment>/terraform.tfstate`. */
    stateDir: string;
    /**
     * `terraform.localEmulator`: the environments' endpoints are the local AWS emulator, so
     * Terraform signs with its test keys when the backend's environment has none. Otherwise
     * Terraform gets the backend's environment (credential chain) untouched.
     */
    localEmulator: boolean;
  };
}

const PROVISION_MODES: readonly string[] = ['terraform', 'pipeline', 'none'];
const TERRAFORM = 'ecsDeploy.scaffolder.terraform';
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MAX_TIMEOUT_MS = 3 * 60 * 60_000;

/** `terraform.timeout` (a HumanDuration), or the deprecated `terraform.timeoutMinutes`. */
function readTimeoutMs(
  config: RootConfigService,
  logger?: LoggerService,
): number {
  let ms = DEFAULT_TIMEOUT_MS;
  let key = `${TERRAFORM}.timeout`;
  if (config.has(key)) {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } else if (config.has(`${TERRAFORM}.timeoutMinutes`)) {
    key = `${TERRAFORM}.timeoutMinutes`;
    logger?.warn(
      `${key} is deprecated; use ${TERRAFORM}.timeout, e.g. { minutes: 10 }`,
    );
    ms = config.getNumber(key) * 60_000;
  }
  if (!(ms > 0 && ms <= MAX_TIMEOUT_MS)) {
    throw new Error(
      `${key} must be more than 0 and at most 3 hours, got ${ms / 1000} s`,
    );
  }
  return ms;
}

/** Reads `ecsDeploy.scaffolder.provision` and `.terraform`; throws on invalid values. */
export function readProvisionSettings(
  config: RootConfigService,
  opts: {
    cwd?: string;
    backend: BackendSettings;
    environments: ScaffolderEnvironment[];
    logger?: LoggerService;
  },
): ProvisionSettings {
  const cwd = opts.cwd ?? process.cwd();
  const scaffolder = config.getOptionalConfig('ecsDeploy.scaffolder');
  const mode = scaffolder?.getOptionalString('provision') ?? 'none';
  if (!PROVISION_MODES.includes(mode)) {
    throw new Error(
      `ecsDeploy.scaffolder.provision must be terraform, pipeline or none, got '${mode}'`,
    );
  }
  if (mode === 'terraform' && opts.backend.type === 'none') {
    throw new Error(
      'ecsDeploy.scaffolder.provision terraform needs ecsDeploy.scaffolder.backend.type local or s3 (with none the state would be lost)',
    );
  }
  const command =
    scaffolder?.getOptionalString('terraform.command') ?? 'terraform';
  const timeoutMs = readTimeoutMs(config, opts.logger);
  const localEmulator =
    scaffolder?.getOptionalBoolean('terraform.localEmulator') ?? false;
  const withoutEndpoint = opts.environments.find(e => !e.endpoint);
  if (localEmulator && withoutEndpoint) {
    throw new Error(
      `${TERRAFORM}.localEmulator is true, but environment '${withoutEndpoint.name}' has no endpoint (ecsDeploy.environments[].endpoint): the emulator's test keys would be sent to AWS`,
    );
  }
  const stateDir = scaffolder?.getOptionalString('terraform.stateDir');
  return {
    mode: mode as ProvisionMode,
    terraform: {
      command: command.includes('/') ? path.resolve(cwd, command) : command,
      timeoutMs,
      stateDir: stateDir
        ? path.resolve(cwd, stateDir)
        : path.join(findRepoRoot(cwd), '.run', 'terraform-state'),
      localEmulator,
    },
  };
}

/** Reads `ecsDeploy.environments[]` and `ecsDeploy.scaffolder.*`; throws on invalid values. @public */
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
    endpoint: env.getOptionalString('endpoint'),
    accountId: env.getOptionalString('accountId'),
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

  const configuredPublishDir = scaffolder?.getOptionalString('localPublishDir');
  const localPublishDir = configuredPublishDir
    ? path.resolve(cwd, configuredPublishDir)
    : path.join(findRepoRoot(cwd), '.run', 'published');
  return {
    environments:
      environments.length > 0
        ? environments
        : DEFAULT_ENVIRONMENTS.map(name => ({ name })),
    modulesSource: validateModulesSource(
      scaffolder?.getOptionalString('modulesSource') ??
        defaultModulesSource(localPublishDir, cwd),
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
    localPublishDir,
    initialImage: readInitialImage(
      scaffolder?.getOptionalString('initialImage'),
    ),
    adminGroups:
      config.getOptionalStringArray('ecsDeploy.permissions.adminGroups') ?? [],
    terraformRole: readTerraformRole(scaffolder, environments),
  };
}
