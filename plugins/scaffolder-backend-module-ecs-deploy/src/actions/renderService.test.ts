import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ECS_DEPLOY_ENVIRONMENTS_ANNOTATION,
  ECS_DEPLOY_SERVICE_ANNOTATION,
} from '@deployment-portal/plugin-ecs-deploy-common';
import yaml from 'yaml';
import {
  listFiles,
  readTree,
  SERVICE_VALUES,
  testOptions,
} from '../__testUtils__/fixtures';
import { EcsDeployScaffolderOptions } from '../config';
import { createRenderServiceAction, RenderServiceInput } from './renderService';
import { examples } from './renderService.examples';

const base: RenderServiceInput = {
  name: 'payments-api',
  owner: 'group:default/team-payments',
  description: 'Payments API',
  ...SERVICE_VALUES,
};

describe('ecs-deploy:render-service', () => {
  const workspace = createMockDirectory();

  beforeEach(() => workspace.clear());

  async function run(
    input: Partial<RenderServiceInput> & Record<string, unknown>,
    opts: { isDryRun?: boolean; options?: EcsDeployScaffolderOptions } = {},
  ) {
    const action = createRenderServiceAction(opts.options ?? testOptions());
    // createMockActionContext ignores isDryRun and checkpoint overrides: set them afterwards.
    const ctx = {
      ...createMockActionContext({
        input: { ...base, ...input } as any,
        workspacePath: workspace.path,
      }),
      isDryRun: opts.isDryRun,
    };
    await action.handler(ctx);
    return ctx;
  }

  it('renders staging and prod roots and the catalog descriptor by default', async () => {
    const ctx = await run({});
    const files = await listFiles(workspace.path);
    expect(files).toEqual([
      'catalog-info.yaml',
      'terraform/prod/.terraform.lock.hcl',
      'terraform/prod/main.tf',
      'terraform/prod/providers.tf',
      'terraform/prod/versions.tf',
      'terraform/staging/.terraform.lock.hcl',
      'terraform/staging/main.tf',
      'terraform/staging/providers.tf',
      'terraform/staging/versions.tf',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('paths', files);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/payments-api',
    );
    expect(ctx.output).toHaveBeenCalledWith('environments', [
      'staging',
      'prod',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('roots', [
      'terraform/staging',
      'terraform/prod',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/catalog-info.yaml',
    );

    const tree = await readTree(workspace.path);
    const staging = tree['terraform/staging/main.tf'];
    expect(staging).toContain(
      'source = "../../../terraform-modules/ecs-environment-ref"',
    );
    expect(staging).toContain(
      'source = "../../../terraform-modules/ecs-service"',
    );
    expect(staging).toContain('environment = "staging"');
    expect(staging).toContain('name        = "payments-api"');
    expect(staging).toContain('entity_ref  = "component:default/payments-api"');
    expect(staging).toContain(
      'environment = module.environment.service_environment',
    );
    expect(staging).toContain('cpu           = 256');
    expect(staging).toContain('memory        = 512');
    expect(staging).toContain('desired_count = 1');
    expect(staging).toContain(
      'image = coalesce(var.image, "ghcr.io/acme/payments-api:initial")',
    );
    expect(staging).toContain('port  = 8080');
    expect(staging).toContain('http://127.0.0.1:8080/healthz');
    expect(staging).not.toContain('autoscaling');
    expect(tree['terraform/prod/main.tf']).toContain('environment = "prod"');
    expect(tree['terraform/prod/main.tf']).toContain('ENVIRONMENT = "prod"');
    // Region per environment from configuration.
    expect(tree['terraform/staging/providers.tf']).toContain(
      'default     = "us-east-1"',
    );
    expect(tree['terraform/prod/providers.tf']).toContain(
      'default     = "eu-west-1"',
    );
    expect(tree['terraform/staging/versions.tf']).toContain(
      'backend "local" {}',
    );
    expect(tree['terraform/staging/versions.tf']).toContain(
      'version = "~> 5.100"',
    );
    expect(tree['terraform/staging/.terraform.lock.hcl']).toContain(
      'version     = "5.100.0"',
    );

    const entity = yaml.parse(tree['catalog-info.yaml']);
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        description: 'Payments API',
        annotations: {
          [ECS_DEPLOY_SERVICE_ANNOTATION]: 'payments-api',
          [ECS_DEPLOY_ENVIRONMENTS_ANNOTATION]: 'staging,prod',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/team-payments',
      },
    });
  });

  it.each([
    [['staging'], ['staging']],
    [['prod'], ['prod']],
    [
      ['staging', 'prod'],
      ['staging', 'prod'],
    ],
    [
      ['prod', 'staging'],
      ['staging', 'prod'],
    ],
  ])(
    'renders only the selected environments %j',
    async (environments, expected) => {
      const ctx = await run({ environments });
      const files = await listFiles(workspace.path);
      const roots = [
        ...new Set(
          files
            .filter(f => f.startsWith('terraform/'))
            .map(f => f.split('/')[1]),
        ),
      ].sort();
      expect(roots).toEqual([...expected].sort());
      // main, versions and providers .tf and the lock file per root, one catalog-info.yaml
      expect(files).toHaveLength(expected.length * 4 + 1);
      expect(ctx.output).toHaveBeenCalledWith('environments', expected);
      const entity = yaml.parse(
        (await readTree(workspace.path))['catalog-info.yaml'],
      );
      expect(
        entity.metadata.annotations[ECS_DEPLOY_ENVIRONMENTS_ANNOTATION],
      ).toBe(expected.join(','));
    },
  );

  it('applies desired counts, autoscaling, image, port, size and health check path', async () => {
    await run({
      image: 'ghcr.io/acme/payments-api:1.4.0',
      port: 9000,
      cpu: 1024,
      memory: 4096,
      healthCheckPath: '/health/ready',
      desiredCounts: { staging: 0, prod: 3 },
      autoscaling: { prod: { enabled: true, min: 2, max: 6 } },
      owner: 'team-payments',
    });
    const tree = await readTree(workspace.path);
    const prod = tree['terraform/prod/main.tf'];
    expect(prod).toContain('desired_count = 3');
    expect(prod).toContain('min_capacity = 2');
    expect(prod).toContain('max_capacity = 6');
    expect(prod).toContain('cpu           = 1024');
    expect(prod).toContain('memory        = 4096');
    expect(prod).toContain(
      'image = coalesce(var.image, "ghcr.io/acme/payments-api:1.4.0")',
    );
    expect(prod).toContain('port  = 9000');
    expect(prod).toContain('PORT        = "9000"');
    expect(prod).toContain('http://127.0.0.1:9000/health/ready');
    expect(prod).toContain('"backstage:owner" = "group:default/team-payments"');
    const staging = tree['terraform/staging/main.tf'];
    expect(staging).toContain('desired_count = 0');
    expect(staging).not.toContain('autoscaling');
  });

  it('ignores counts and disabled autoscaling of unselected environments', async () => {
    await run({
      environments: ['staging'],
      desiredCounts: { staging: 2, prod: 5 },
      autoscaling: {
        staging: { enabled: false, min: 1, max: 2 },
        prod: { enabled: true, min: 9, max: 1 },
      },
    });
    const tree = await readTree(workspace.path);
    expect(Object.keys(tree)).not.toContain('terraform/prod/main.tf');
    expect(tree['terraform/staging/main.tf']).toContain('desired_count = 2');
    expect(tree['terraform/staging/main.tf']).not.toContain('autoscaling');
  });

  it('overrides the region of every root with awsRegion', async () => {
    await run({ awsRegion: 'ap-southeast-2' });
    const tree = await readTree(workspace.path);
    expect(tree['terraform/staging/providers.tf']).toContain(
      '"ap-southeast-2"',
    );
    expect(tree['terraform/prod/providers.tf']).toContain('"ap-southeast-2"');
  });

  it('writes into targetDirectory and keeps a relative module source pointing at the same place', async () => {
    const ctx = await run({ targetDirectory: 'deploy/ecs' });
    expect(ctx.output).toHaveBeenCalledWith('roots', [
      'deploy/ecs/terraform/staging',
      'deploy/ecs/terraform/prod',
    ]);
    const files = await listFiles(workspace.path);
    expect(files).toContain('deploy/ecs/terraform/staging/main.tf');
    expect(files).toContain('deploy/ecs/catalog-info.yaml');
    expect(files.every(f => f.startsWith('deploy/ecs/'))).toBe(true);
    const main = (await readTree(workspace.path))[
      'deploy/ecs/terraform/staging/main.tf'
    ];
    expect(main).toContain(
      'source = "../../../../../terraform-modules/ecs-service"',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/deploy/ecs/catalog-info.yaml',
    );
  });

  it('places the module directory before ?ref= in git sources', async () => {
    await run({
      modulesSource:
        'git::https://github.com/acme/platform//terraform-modules?ref=v1',
    });
    const main = (await readTree(workspace.path))['terraform/staging/main.tf'];
    expect(main).toContain(
      'source = "git::https://github.com/acme/platform//terraform-modules/ecs-service?ref=v1"',
    );
    expect(main).toContain(
      'source = "git::https://github.com/acme/platform//terraform-modules/ecs-environment-ref?ref=v1"',
    );
  });

  it('renders the configured backend', async () => {
    await run(
      {},
      {
        options: testOptions({
          backend: {
            type: 's3',
            bucket: 'acme-tfstate',
            keyPrefix: 'services',
          },
        }),
      },
    );
    let versions = (await readTree(workspace.path))[
      'terraform/prod/versions.tf'
    ];
    expect(versions).toContain('backend "s3" {');
    expect(versions).toContain('bucket       = "acme-tfstate"');
    expect(versions).toContain(
      'key          = "services/payments-api/prod/terraform.tfstate"',
    );
    expect(versions).toContain('region       = "eu-west-1"');
    expect(versions).toContain('use_lockfile = true');
    expect(versions).toContain('required_version = ">= 1.10"');

    await workspace.clear();
    await run({}, { options: testOptions({ backend: { type: 'none' } }) });
    versions = (await readTree(workspace.path))['terraform/prod/versions.tf'];
    expect(versions).not.toContain('backend');
  });

  it('uses configured environments', async () => {
    const options = testOptions({
      environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
    });
    const ctx = await run(
      { environments: ['dev'], desiredCounts: { dev: 1 } },
      { options },
    );
    expect(ctx.output).toHaveBeenCalledWith('environments', ['dev']);
    const tree = await readTree(workspace.path);
    expect(tree['terraform/dev/providers.tf']).toContain('"us-east-1"');
  });

  it('writes the same files in a dry run and nothing outside the workspace', async () => {
    const input = {
      environments: ['staging', 'prod'],
      autoscaling: { prod: { enabled: true, min: 1, max: 3 } },
    };
    await run(input);
    const real = await readTree(workspace.path);

    // The dry-run workspace is a sub-directory of an otherwise empty root: anything written
    // outside it would show up in the root.
    const root = createMockDirectory();
    const action = createRenderServiceAction(testOptions());
    const checkpoint = jest.fn();
    const ctx = {
      ...createMockActionContext({
        input: { ...base, ...input } as any,
        workspacePath: root.resolve('workspace'),
      }),
      isDryRun: true,
      checkpoint,
    };
    await action.handler(ctx);
    expect(await readTree(root.resolve('workspace'))).toEqual(real);
    expect(
      (await listFiles(root.path)).filter(f => !f.startsWith('workspace/')),
    ).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('paths', Object.keys(real).sort());
    expect(checkpoint).not.toHaveBeenCalled();
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe('ecs-deploy:render-service');
      const options = testOptions({
        environments: [{ name: 'staging' }, { name: 'prod' }],
      });
      const ctx = await run(step.input, { options });
      const files = await listFiles(workspace.path);
      const dir = step.input.targetDirectory
        ? `${step.input.targetDirectory}/`
        : '';
      expect(files).toContain(`${dir}catalog-info.yaml`);
      for (const env of step.input.environments ?? ['staging', 'prod']) {
        expect(files).toContain(`${dir}terraform/${env}/main.tf`);
      }
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        `component:default/${step.input.name}`,
      );
    });
  });

  describe('rejects malformed input before writing anything', () => {
    const long = `a${'b'.repeat(62)}c`;
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['uppercase name', { name: 'Payments-API' }, 'name', 'Payments-API'],
      ['name with spaces', { name: 'payments api' }, 'name', 'payments api'],
      ['name with ../', { name: '../etc' }, 'name', '../etc'],
      ['64+ character name', { name: long }, 'name', long],
      ['33 character name', { name: `a${'b'.repeat(31)}c` }, 'name', 'abbb'],
      ['2 character name', { name: 'ab' }, 'name', 'ab'],
      ['name with --', { name: 'pay--api' }, 'name', 'pay--api'],
      ['name ending in -', { name: 'payments-' }, 'name', 'payments-'],
      ['name starting with digit', { name: '1payments' }, 'name', '1payments'],
      ['reserved name admin', { name: 'admin' }, 'name', 'admin'],
      ['reserved name default', { name: 'default' }, 'name', 'default'],
      ['reserved name aws', { name: 'aws' }, 'name', 'aws'],
      ['unknown environment', { environments: ['qa'] }, 'environments', 'qa'],
      [
        'uppercase environment',
        { environments: ['Staging'] },
        'environments',
        'Staging',
      ],
      ['no environments', { environments: [] }, 'environments', '[]'],
      [
        'duplicate environment',
        { environments: ['prod', 'prod'] },
        'environments',
        'prod',
      ],
      ['cpu 256 memory 4096', { cpu: 256, memory: 4096 }, 'memory', '4096'],
      ['cpu 512 memory 512', { cpu: 512, memory: 512 }, 'memory', '512'],
      ['cpu 1024 memory 1536', { cpu: 1024, memory: 1536 }, 'memory', '1536'],
      ['cpu 4096 memory 8704', { cpu: 4096, memory: 8704 }, 'memory', '8704'],
      ['cpu 300', { cpu: 300, memory: 512 }, 'cpu', '300'],
      ['port 0', { port: 0 }, 'port', '0'],
      ['port 65536', { port: 65536 }, 'port', '65536'],
      ['fractional port', { port: 80.5 }, 'port', '80.5'],
      [
        'negative desired count',
        { desiredCounts: { staging: -1 } },
        'desiredCounts.staging',
        '-1',
      ],
      [
        'desired count 101',
        { desiredCounts: { prod: 101 } },
        'desiredCounts.prod',
        '101',
      ],
      [
        'count for unknown env',
        { desiredCounts: { qa: 1 } },
        'desiredCounts.qa',
        'qa',
      ],
      [
        'autoscaling for unknown env',
        { autoscaling: { dev: { enabled: true, min: 1, max: 2 } } },
        'autoscaling.dev',
        'dev',
      ],
      [
        'autoscaling min > max',
        { autoscaling: { prod: { enabled: true, min: 5, max: 2 } } },
        'autoscaling.prod.min',
        '5',
      ],
      [
        'autoscaling max 200',
        { autoscaling: { staging: { enabled: true, min: 1, max: 200 } } },
        'autoscaling.staging.max',
        '200',
      ],
      [
        'autoscaling negative min',
        { autoscaling: { staging: { enabled: true, min: -2, max: 2 } } },
        'autoscaling.staging.min',
        '-2',
      ],
      [
        'owner is a user',
        { owner: 'user:default/alice' },
        'owner',
        'user:default/alice',
      ],
      [
        'owner with spaces',
        { owner: 'team payments' },
        'owner',
        'team payments',
      ],
      ['empty owner', { owner: '' }, 'owner', '""'],
      [
        'owner with traversal',
        { owner: 'group:default/../x' },
        'owner',
        '../x',
      ],
      [
        'targetDirectory ../',
        { targetDirectory: '../outside' },
        'targetDirectory',
        '../outside',
      ],
      [
        'targetDirectory nested ..',
        { targetDirectory: 'a/../../b' },
        'targetDirectory',
        'a/../../b',
      ],
      [
        'absolute targetDirectory',
        { targetDirectory: '/etc' },
        'targetDirectory',
        '/etc',
      ],
      [
        'backslash targetDirectory',
        { targetDirectory: '..\\x' },
        'targetDirectory',
        'x',
      ],
      [
        'healthCheckPath without /',
        { healthCheckPath: 'healthz' },
        'healthCheckPath',
        'healthz',
      ],
      [
        'healthCheckPath with quote',
        { healthCheckPath: '/h"; rm -rf /' },
        'healthCheckPath',
        'rm -rf',
      ],
      [
        'image with space',
        { image: 'ghcr.io/acme/x 1' },
        'image',
        'ghcr.io/acme/x 1',
      ],
      ['bad region', { awsRegion: 'mars-1' }, 'awsRegion', 'mars-1'],
      [
        'modulesSource with interpolation',
        { modulesSource: '${path.root}/x' },
        'modulesSource',
        'path.root',
      ],
      [
        'modulesSource absolute',
        { modulesSource: '/opt/modules' },
        'modulesSource',
        '/opt/modules',
      ],
      ['empty description', { description: '  ' }, 'description', '"  "'],
      [
        'multi-line description',
        { description: 'a\nb' },
        'description',
        'a\\nb',
      ],
      [
        'description with a TAB',
        { description: 'Payments\tAPI' },
        'description',
        'found U+0009 at position 9',
      ],
      [
        'description with a BEL',
        { description: 'Payments API\u0007' },
        'description',
        'U+0007',
      ],
      [
        'description with a line separator',
        { description: 'a\u2028b' },
        'description',
        'U+2028',
      ],
      [
        '301 character description',
        { description: 'x'.repeat(301) },
        'description',
        'at most 300 characters',
      ],
      ['name that is not a string', { name: 42 }, 'name', '42'],
      [
        'no port (the actions have no defaults)',
        { port: undefined },
        'port',
        'Required',
      ],
      [
        'no count for a selected environment',
        { desiredCounts: { staging: 1 } },
        'desiredCounts.prod',
        'undefined: is required for each selected environment',
      ],
      [
        'autoscaling without enabled',
        { autoscaling: { prod: { min: 1, max: 2 } } },
        'autoscaling.prod.enabled',
        'Required',
      ],
      [
        'enabled autoscaling without max',
        { autoscaling: { prod: { enabled: true, min: 1 } } },
        'autoscaling.prod.max',
        'undefined: is required when autoscaling is enabled',
      ],
      [
        'image with a short digest',
        { image: 'ghcr.io/acme/x@sha256:abc' },
        'image',
        'sha256:abc',
      ],
    ];

    it.each(cases)('%s', async (_, input, field, shown) => {
      const promise = run(input);
      await expect(promise).rejects.toThrow(InputError);
      await expect(promise).rejects.toThrow(`Invalid ${field} `);
      await expect(promise).rejects.toThrow(shown);
      expect(await listFiles(workspace.path)).toEqual([]);
    });

    it('has at least 30 cases', () => {
      expect(cases.length).toBeGreaterThanOrEqual(30);
    });
  });
});
