import { parse } from '@cdktf/hcl2json';
import yaml from 'yaml';
import {
  hclString,
  modulesSourceForRoot,
  renderServiceFiles,
  ServiceSpec,
} from './render';

describe('modulesSourceForRoot', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it.each([
    ['../../../terraform-modules', '', '../../../../../terraform-modules'],
    ['./terraform-modules', '', '../../terraform-modules'],
    [
      '../../../terraform-modules',
      'services/payments',
      '../../../../../../../terraform-modules',
    ],
    [
      'git::https://github.com/acme/platform//terraform-modules?ref=v1',
      'x',
      'git::https://github.com/acme/platform//terraform-modules?ref=v1',
    ],
  ])(
    '%s from %p → %s, whatever the working directory',
    (source, target, expected) => {
      for (const dir of ['/', cwd]) {
        process.chdir(dir);
        expect(modulesSourceForRoot(source, target)).toBe(expected);
      }
    },
  );
});

describe('renderServiceFiles', () => {
  const spec = (overrides: Partial<ServiceSpec> = {}): ServiceSpec => ({
    name: 'payments-api',
    owner: 'group:default/team-payments',
    description: 'Payments "API" \\ ${x} ✓',
    image: `ghcr.io/acme/payments-api@sha256:${'a'.repeat(64)}`,
    port: 9000,
    cpu: 512,
    memory: 2048,
    healthCheckPath: '/health/ready',
    environments: ['staging', 'prod'],
    desiredCounts: { staging: 1, prod: 3 },
    autoscaling: { prod: { min: 2, max: 6 } },
    strategies: { staging: { type: 'rolling' }, prod: { type: 'rolling' } },
    regions: { staging: 'us-east-1', prod: 'eu-west-1' },
    assumedRoles: {},
    modulesSource: '../../terraform-modules',
    backend: { type: 'local' },
    targetDirectory: '',
    ...overrides,
  });

  /** Every .tf file of one root, parsed as HCL and merged per block type. */
  async function parseRoot(files: Map<string, string>, env: string) {
    const out: Record<string, any> = {};
    for (const file of ['main.tf', 'versions.tf', 'providers.tf']) {
      const parsed = await parse(file, files.get(`terraform/${env}/${file}`)!);
      for (const [key, value] of Object.entries(parsed)) {
        out[key] = Array.isArray(value)
          ? [...(out[key] ?? []), ...value]
          : { ...out[key], ...(value as object) };
      }
    }
    return out;
  }

  it('writes HCL whose strings parse back to the spec', async () => {
    const files = renderServiceFiles(spec());
    const prod = await parseRoot(files, 'prod');
    const [service] = prod.module.service;
    expect(service).toMatchObject({
      source: '../../terraform-modules/ecs-service',
      name: 'payments-api',
      entity_ref: 'component:default/payments-api',
      cpu: 512,
      memory: 2048,
      desired_count: 3,
      autoscaling: { min_capacity: 2, max_capacity: 6 },
      tags: { 'backstage:owner': 'group:default/team-payments' },
    });
    expect(service.containers[0]).toMatchObject({
      name: 'payments-api',
      // The image a rebuilt environment ran (var.image), else the initial one.
      image: `\${coalesce(var.image, "${spec().image}")}`,
      port: 9000,
      environment: { PORT: '9000', ENVIRONMENT: 'prod' },
      health_check_command: [
        'CMD-SHELL',
        'wget -q -O /dev/null http://127.0.0.1:9000/health/ready || exit 1',
      ],
    });
    expect(prod.variable.aws_region[0]).toMatchObject({
      description: 'AWS region of the prod environment.',
      default: 'eu-west-1',
    });
    expect(prod.terraform[0].required_providers[0].aws.version).toBe(
      '~> 5.100',
    );
    expect(prod.terraform[0].backend).toEqual({ local: [{}] });
    const staging = await parseRoot(files, 'staging');
    expect(staging.module.service[0].autoscaling).toBeUndefined();
  });

  it('writes the strategy and the listener rule as HCL the module reads, where the strategy shifts traffic', async () => {
    const blueGreen = spec({
      strategies: {
        staging: { type: 'rolling' },
        prod: { type: 'blue_green', bakeMinutes: 5 },
      },
    });
    expect(() => renderServiceFiles(blueGreen)).toThrow(
      'blue_green in prod needs a listener rule priority',
    );
    const files = renderServiceFiles(blueGreen, { prod: 23456 });
    const [service] = (await parseRoot(files, 'prod')).module.service;
    expect(service.load_balancer).toEqual({
      priority: 23456,
      path_patterns: ['/payments-api', '/payments-api/*'],
      health_check_path: '/health/ready',
    });
    expect(service.deployment_strategy).toEqual({
      type: 'blue_green',
      bake_time_minutes: 5,
    });
    const [staging] = (await parseRoot(files, 'staging')).module.service;
    expect(staging.load_balancer).toBeUndefined();
    expect(staging.deployment_strategy).toBeUndefined();
  });

  it("assumes the environment's Terraform role when one is configured, else runs as the caller", async () => {
    const files = renderServiceFiles(
      spec({
        assumedRoles: {
          prod: {
            roleArn: 'arn:aws:iam::222222222222:role/ecs-deploy-terraform',
            externalId: 'acme-terraform',
          },
        },
      }),
    );
    const prod = await parseRoot(files, 'prod');
    expect(prod.variable.aws_role_arn[0].default).toBe(
      'arn:aws:iam::222222222222:role/ecs-deploy-terraform',
    );
    expect(prod.variable.aws_external_id[0].default).toBe('acme-terraform');
    const [assumeRole] = prod.provider.aws[0].dynamic.assume_role;
    expect(assumeRole.for_each).toBe(
      '${var.aws_role_arn == null ? [] : [var.aws_role_arn]}',
    );
    expect(assumeRole.content[0]).toEqual({
      role_arn: '${assume_role.value}',
      external_id: '${var.aws_external_id}',
      session_name: 'ecs-deploy-payments-api-prod',
    });
    const staging = await parseRoot(files, 'staging');
    expect(staging.variable.aws_role_arn[0].default).toBeNull();
    expect(staging.variable.aws_external_id[0].default).toBeNull();
  });

  it('writes the description and the owner into catalog-info.yaml so that they parse back', () => {
    const entity = yaml.parse(
      renderServiceFiles(spec()).get('catalog-info.yaml')!,
    );
    expect(entity.metadata.description).toBe(spec().description);
    expect(entity.spec.owner).toBe('group:default/team-payments');
  });

  it.each([
    [
      { type: 's3', bucket: 'tf', keyPrefix: 'svc' },
      '>= 1.10',
      { key: 'svc/payments-api/prod/terraform.tfstate', use_lockfile: true },
    ],
    [
      { type: 's3', bucket: 'tf', keyPrefix: '', dynamodbTable: 'locks' },
      '>= 1.7',
      { key: 'payments-api/prod/terraform.tfstate', dynamodb_table: 'locks' },
    ],
  ] as const)('writes an S3 backend %j', async (backend, version, expected) => {
    const files = renderServiceFiles(spec({ backend: { ...backend } }));
    const { terraform } = await parseRoot(files, 'prod');
    expect(terraform[0].required_version).toBe(version);
    expect(terraform[0].backend.s3[0]).toEqual({
      bucket: 'tf',
      region: 'eu-west-1',
      encrypt: true,
      ...expected,
    });
  });

  it('copies the provider lock into every root', () => {
    const files = renderServiceFiles(spec());
    expect(files.get('terraform/staging/.terraform.lock.hcl')).toBe(
      files.get('terraform/prod/.terraform.lock.hcl'),
    );
    expect(files.get('terraform/prod/.terraform.lock.hcl')).toContain(
      'constraints = ">= 5.37.0, ~> 5.100"',
    );
  });

  it.each([{}, [], 42, undefined])(
    'refuses to write %j as an HCL string',
    value => {
      expect(() => hclString(value)).toThrow('hcl filter expects a string');
    },
  );
});
