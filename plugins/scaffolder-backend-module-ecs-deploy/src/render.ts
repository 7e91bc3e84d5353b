/*
 * Rendering of a service's Terraform roots (from the templates in templates/terraform) and catalog
 * descriptor into memory: the action validates, renders everything, and only then writes.
 */
import {
  ECS_DEPLOY_ENVIRONMENTS_ANNOTATION,
  ECS_DEPLOY_SERVICE_ANNOTATION,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { createTemplateRenderer, type TemplateContext } from 'nunjitsu';
import path from 'node:path';
import yaml from 'yaml';
import { BackendSettings, StrategySpec } from './validation';
import type { AssumedRole } from './terraformRole';

/** A validated service, ready to render. */
export interface ServiceSpec {
  name: string;
  owner: string;
  description: string;
  image: string;
  port: number;
  cpu: number;
  memory: number;
  healthCheckPath: string;
  /** Selected environments, in configured order. */
  environments: string[];
  desiredCounts: Record<string, number>;
  autoscaling: Record<string, { min: number; max: number } | undefined>;
  /** Deployment strategy of each selected environment. */
  strategies: Record<string, StrategySpec>;
  regions: Record<string, string>;
  /** The role each environment's root assumes (portal-access's Terraform role), if any. */
  assumedRoles: Record<string, AssumedRole | undefined>;
  /** Base of the module sources, already adjusted for relative paths. */
  modulesSource: string;
  backend: BackendSettings;
  /** Workspace-relative directory the files go to ('' for the root). */
  targetDirectory: string;
}

/** Workspace-relative path → file content. */
export type RenderedFiles = Map<string, string>;

/** The AWS provider of every root; `.terraform.lock.hcl` in templates/terraform locks it. */
const AWS_PROVIDER_VERSION = '~> 5.100';

/** Files rendered into each root from `templates/terraform/<file>.njk`, besides main.tf. */
const SUPPORT_FILES = ['versions.tf', 'providers.tf'];

/**
 * The dependency lock file of each root, copied from `templates/terraform/terraform.lock.hcl`
 * (stored without the dot: the repository ignores `.terraform.lock.hcl` files).
 */
const LOCK_FILE = '.terraform.lock.hcl';

/** `component:default/<name>` */
export function entityRefOf(name: string): string {
  return `component:default/${name}`;
}

/**
 * The module source of one module (`ecs-service`, `ecs-environment-ref`) under `base`, placing the
 * module directory before a `?ref=` query of git sources.
 */
export function moduleSource(base: string, module: string): string {
  const query = base.indexOf('?');
  if (query === -1) {
    return `${base}/${module}`;
  }
  return `${base.slice(0, query)}/${module}${base.slice(query)}`;
}

/**
 * A relative `modulesSource` is relative to the generated repository's root; the roots live in
 * `<targetDirectory>/terraform/<env>`, so it is prefixed with as many `../` as that is deep.
 */
export function modulesSourceForRoot(
  modulesSource: string,
  targetDirectory: string,
): string {
  if (!modulesSource.startsWith('./') && !modulesSource.startsWith('../')) {
    return modulesSource;
  }
  // Purely lexical: path.relative would resolve both against the process's working directory
  // and clamp at `/` when the backend runs shallower than the number of `../`.
  const rootDir = path.posix.join(targetDirectory || '.', 'terraform', 'env');
  const depth = rootDir.split('/').filter(s => s && s !== '.').length;
  const relative = `${'../'.repeat(depth)}${path.posix.normalize(
    modulesSource,
  )}`;
  return path.posix.normalize(relative);
}

/**
 * HCL string literal: a JSON string (HCL reads its escapes) with `${` and `%{` doubled, so that
 * nothing in it is interpolated. Functions as replacements: in a replacement string `$$` is `$`.
 */
export function hclString(value: unknown): string {
  if (typeof value !== 'string') {
    throw new Error(
      `hcl filter expects a string, got ${JSON.stringify(value)}`,
    );
  }
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

const renderer = createTemplateRenderer({
  filters: { hcl: value => hclString(value) },
  trimBlocks: true,
  lstripBlocks: true,
});

const templates = new Map<string, string>();

/** A file of `templates/terraform` in this package, read once. */
function templateFile(file: string): string {
  let source = templates.get(file);
  if (source === undefined) {
    source = fs.readFileSync(
      resolvePackagePath(
        '@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy',
        'templates/terraform',
        file,
      ),
      'utf8',
    );
    templates.set(file, source);
  }
  return source;
}

/** providers.tf's `assume_role` defaults, or null to run as the caller. */
function assumeRoleValues(
  role: AssumedRole | undefined,
): TemplateContext | null {
  return role
    ? { roleArn: role.roleArn, externalId: role.externalId ?? null }
    : null;
}

/** What every root needs, whether it creates a service or adopts one. */
export type RootSpec = Pick<
  ServiceSpec,
  | 'name'
  | 'owner'
  | 'description'
  | 'environments'
  | 'regions'
  | 'modulesSource'
  | 'backend'
  | 'targetDirectory'
  | 'assumedRoles'
>;

/** The values of one root's versions.tf and providers.tf. */
function rootValues(spec: RootSpec, env: string): TemplateContext {
  const { backend } = spec;
  const s3 = backend.type === 's3' ? backend : undefined;
  return {
    env,
    region: spec.regions[env],
    assumeRole: assumeRoleValues(spec.assumedRoles[env]),
    // AssumeRole's RoleSessionName: at most 64 characters, shown in CloudTrail.
    sessionName: `ecs-deploy-${spec.name}-${env}`.slice(0, 64),
    backend: { ...backend },
    // S3 native locking (use_lockfile) needs Terraform 1.10.
    requiredVersion: s3 && !s3.dynamodbTable ? '>= 1.10' : '>= 1.7',
    stateKey: s3
      ? [s3.keyPrefix, spec.name, env, 'terraform.tfstate']
          .filter(Boolean)
          .join('/')
          .replace(/\/+/g, '/')
      : null,
    stateRegion: s3 ? s3.region ?? spec.regions[env] : null,
    awsProviderVersion: AWS_PROVIDER_VERSION,
  };
}

/** Whether `env`'s strategy shifts traffic, so its root needs a rule on the shared listener. */
export function needsListenerRule(spec: ServiceSpec, env: string): boolean {
  return spec.strategies[env].type !== 'rolling';
}

/** The values of a new service's main.tf; `priority`: its listener rule's, when it needs one. */
function serviceValues(
  spec: ServiceSpec,
  env: string,
  priority: number | undefined,
): TemplateContext {
  const strategy = spec.strategies[env];
  if (needsListenerRule(spec, env) && priority === undefined) {
    throw new Error(
      `${strategy.type} in ${env} needs a listener rule priority`,
    );
  }
  return {
    name: spec.name,
    env,
    owner: spec.owner,
    entityRef: entityRefOf(spec.name),
    environmentRefSource: moduleSource(
      spec.modulesSource,
      'ecs-environment-ref',
    ),
    serviceSource: moduleSource(spec.modulesSource, 'ecs-service'),
    cpu: spec.cpu,
    memory: spec.memory,
    desiredCount: spec.desiredCounts[env],
    image: spec.image,
    port: spec.port,
    healthCheckCommand: `wget -q -O /dev/null http://127.0.0.1:${spec.port}${spec.healthCheckPath} || exit 1`,
    autoscaling: spec.autoscaling[env] ?? null,
    strategy: { ...strategy },
    // The service's paths on the environment's shared listener: /<name> and below.
    loadBalancer: needsListenerRule(spec, env)
      ? {
          priority: priority!,
          pathPatterns: [`/${spec.name}`, `/${spec.name}/*`],
          healthCheckPath: spec.healthCheckPath,
        }
      : null,
  };
}

function catalogInfo(spec: RootSpec): string {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      description: spec.description,
      annotations: {
        [ECS_DEPLOY_SERVICE_ANNOTATION]: spec.name,
        [ECS_DEPLOY_ENVIRONMENTS_ANNOTATION]: spec.environments.join(','),
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: spec.owner,
    },
  };
  return yaml.stringify(entity);
}

/**
 * Renders every file of a repository of roots, keyed by workspace-relative POSIX path: per
 * environment `main.tf` (given), versions.tf, providers.tf and the lock file; catalog-info.yaml.
 */
export function renderRootFiles(
  spec: RootSpec,
  mainTf: (env: string) => string,
): RenderedFiles {
  const files: RenderedFiles = new Map();
  const at = (...segments: string[]) =>
    path.posix.join(spec.targetDirectory || '.', ...segments);
  for (const env of spec.environments) {
    const values = rootValues(spec, env);
    files.set(at('terraform', env, 'main.tf'), mainTf(env));
    for (const file of SUPPORT_FILES) {
      files.set(
        at('terraform', env, file),
        renderer.render(templateFile(`${file}.njk`), values),
      );
    }
    files.set(
      at('terraform', env, LOCK_FILE),
      templateFile('terraform.lock.hcl'),
    );
  }
  files.set(at('catalog-info.yaml'), catalogInfo(spec));
  return files;
}

/**
 * Renders every file of a new service, keyed by workspace-relative POSIX path. `priorities`: the
 * listener rule priority of each environment whose strategy shifts traffic.
 */
export function renderServiceFiles(
  spec: ServiceSpec,
  priorities: Record<string, number> = {},
): RenderedFiles {
  return renderRootFiles(spec, env =>
    renderer.render(
      templateFile('main.tf.njk'),
      serviceValues(spec, env, priorities[env]),
    ),
  );
}
