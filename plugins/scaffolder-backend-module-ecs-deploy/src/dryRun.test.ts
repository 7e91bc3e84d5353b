/*
 * The repository's own template (templates/ecs-service) through the real scaffolder backend, with
 * this module installed: dry runs, and real runs refused by the first step.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { ECS_DEPLOY_SERVICE_ANNOTATION } from '@deployment-portal/plugin-ecs-deploy-common';
import { getDefaultFormState, type RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  ecsDeployNamesMock,
  groupEntity,
  loadTemplate,
  TEMPLATE_DIR,
  userInfoWith,
} from './__testUtils__/backend';
import { listFiles } from './__testUtils__/fixtures';
import scaffolderModuleEcsDeploy from './index';

describe('templates/ecs-service through the scaffolder backend', () => {
  jest.setTimeout(60_000);
  const publishDir = createMockDirectory({
    content: { 'earlier-api': { 'catalog-info.yaml': '# published before' } },
  });
  const names = ecsDeployNamesMock({
    'search-api': [
      {
        code: 'entity-exists',
        message:
          'component:default/search-api already exists (owned by group:default/team-search)',
      },
    ],
    'legacy-worker': [
      {
        code: 'ecs-service-exists',
        message: 'an ECS service legacy-worker exists in cluster demo-staging',
        environment: 'staging',
      },
    ],
  });
  let server: any;
  let template: any;
  let directoryContents: Array<{ path: string; base64Content: string }>;

  beforeAll(async () => {
    ({ template, directoryContents } = await loadTemplate());
    const templateEntity = {
      ...template,
      metadata: {
        ...template.metadata,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${TEMPLATE_DIR}/template.yaml`,
        },
      },
    };
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEcsDeploy,
        names.plugin,
        userInfoWith(['group:default/team-payments']),
        catalogServiceMock.factory({
          entities: [
            groupEntity('team-payments'),
            groupEntity('team-search'),
            templateEntity,
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            ecsDeploy: {
              environments: [
                { name: 'staging', region: 'us-east-1' },
                { name: 'prod', region: 'eu-west-1' },
              ],
              scaffolder: {
                modulesSource: '../../../terraform-modules',
                backend: { type: 'local' },
                localPublishDir: publishDir.path,
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  beforeEach(() => {
    names.requests.length = 0;
  });

  async function dryRun(values: Record<string, unknown>) {
    const started = process.hrtime.bigint();
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, values, secrets: {}, directoryContents });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { res, ms };
  }

  /** A real task of the template; resolves with its status and log events when it ends. */
  async function realRun(values: Record<string, unknown>) {
    const auth = mockCredentials.user.header();
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({ templateRef: 'template:default/ecs-service', values });
    expect(created.status).toBe(201);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', auth);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', auth);
        return { status: task.body.status, events: events.body as any[] };
      }
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error('the task did not end');
  }

  const values = {
    name: 'payments-api',
    description: 'Payments API',
    owner: 'group:default/team-payments',
    port: 8080,
    cpu: 256,
    memory: 512,
    healthCheckPath: '/healthz',
    environments: ['staging', 'prod'],
    stagingDesiredCount: 1,
    prodDesiredCount: 2,
    prodAutoscaling: true,
    prodMinCount: 2,
    prodMaxCount: 5,
    publishTarget: 'local',
  };

  const filesOf = (res: request.Response): Record<string, string> =>
    Object.fromEntries(
      res.body.directoryContents.map((f: any) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );

  /**
   * What the scaffolder's form submits when the user fills only `given`: react-jsonschema-form's
   * own defaults (the version Backstage's form uses), page by page, from the template's schema.
   */
  function formSubmits(given: Record<string, unknown>) {
    return (template.spec.parameters as RJSFSchema[]).reduce(
      (formData, page) => getDefaultFormState(validator, page, formData),
      given,
    );
  }

  describe("an API call with only the required values renders what the form's defaults render", () => {
    const required = {
      name: 'payments-api',
      description: 'Payments API',
      owner: 'group:default/team-payments',
    };

    it.each([
      ['autoscaling off (the form default)', {}, false],
      ['prod autoscaling on', { prodAutoscaling: true }, true],
    ])('%s', async (_, choice, autoscaled) => {
      const form = formSubmits({ ...required, ...choice });
      // The form sends every optional value; the API call sends only what was chosen.
      expect(Object.keys(form).length).toBeGreaterThan(
        Object.keys({ ...required, ...choice }).length + 8,
      );
      const fromForm = await dryRun(form);
      const fromApi = await dryRun({ ...required, ...choice });
      for (const { res } of [fromForm, fromApi]) {
        expect([res.status, res.body.error]).toEqual([200, undefined]);
      }
      const files = filesOf(fromApi.res);
      expect(files).toEqual(filesOf(fromForm.res));
      expect(Object.keys(files)).toEqual(
        expect.arrayContaining([
          'terraform/staging/main.tf',
          'terraform/prod/main.tf',
        ]),
      );
      const prod = files['terraform/prod/main.tf'];
      expect(prod).toContain(`desired_count = ${form.prodDesiredCount}`);
      expect(prod.includes('autoscaling')).toBe(autoscaled);
      expect(
        prod.includes(`min_capacity = ${form.prodMinCount}`) &&
          prod.includes(`max_capacity = ${form.prodMaxCount}`),
      ).toBe(autoscaled);
      const apiLog: string[] = fromApi.res.body.log.map(
        (l: any) => l.body.message,
      );
      expect(apiLog).toContainEqual(
        expect.stringContaining(
          'Defaults of the parameter schema for port, cpu, memory, healthCheckPath, environments, stagingDesiredCount, prodDesiredCount',
        ),
      );
    });
  });

  it('checks, then renders the skeleton, the Terraform roots and catalog-info.yaml', async () => {
    const { res, ms } = await dryRun(values);
    // eslint-disable-next-line no-console
    console.log(`dry-run round trip: ${ms.toFixed(0)} ms`);
    expect(res.status).toBe(200);
    expect(names.requests).toEqual(['payments-api']);

    const files = filesOf(res);
    expect(Object.keys(files).sort()).toEqual([
      '.dockerignore',
      '.github/workflows/deploy.yaml',
      '.gitignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'package.json',
      'scripts/deploy.sh',
      'src/server.js',
      'src/server.test.js',
      'terraform/prod/.terraform.lock.hcl',
      'terraform/prod/main.tf',
      'terraform/prod/providers.tf',
      'terraform/prod/versions.tf',
      'terraform/staging/.terraform.lock.hcl',
      'terraform/staging/main.tf',
      'terraform/staging/providers.tf',
      'terraform/staging/versions.tf',
    ]);

    expect(files['terraform/staging/main.tf']).toContain(
      'source = "../../../../../terraform-modules/ecs-service"',
    );
    expect(files['terraform/staging/main.tf']).toContain('desired_count = 1');
    expect(files['terraform/staging/main.tf']).not.toContain('autoscaling');
    expect(files['terraform/prod/main.tf']).toContain('desired_count = 2');
    expect(files['terraform/prod/main.tf']).toContain('min_capacity = 2');
    expect(files['terraform/prod/main.tf']).toContain('max_capacity = 5');
    expect(files['terraform/prod/providers.tf']).toContain('"eu-west-1"');

    const entity = yaml.parse(files['catalog-info.yaml']);
    expect(entity.metadata.name).toBe('payments-api');
    expect(entity.metadata.annotations[ECS_DEPLOY_SERVICE_ANNOTATION]).toBe(
      'payments-api',
    );
    expect(entity.spec.owner).toBe('group:default/team-payments');

    const workflow = files['.github/workflows/deploy.yaml'];
    const parsed = yaml.parse(workflow);
    expect(parsed.env.SERVICE).toBe('payments-api');
    expect(workflow).toContain('${{ github.actor }}');
    expect(parsed.jobs.staging.if).toContain('refs/heads/main');
    expect(parsed.jobs.staging.steps.at(-1).run).toBe(
      'bash scripts/deploy.sh staging "${{ needs.build.outputs.image }}"',
    );
    expect(parsed.jobs.prod.if).toContain('refs/tags/v');
    expect(parsed.jobs.prod.steps.at(-1).run).toBe(
      'bash scripts/deploy.sh prod "${{ needs.build.outputs.image }}"',
    );
    expect(files['scripts/deploy.sh']).toContain("SERVICE='payments-api'");
    expect(files['scripts/deploy.sh']).toContain(
      'parameter/ecs-deploy/$env/$SERVICE/image/$SERVICE',
    );
    expect(files['src/server.js']).toContain("'/healthz'");
    expect(files.Dockerfile).toContain('EXPOSE 8080');

    const messages: string[] = res.body.log.map((l: any) => l.body.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Running ecs-deploy:check-service in dry-run mode',
        ),
        expect.stringContaining(
          'payments-api is free and may be owned by group:default/team-payments',
        ),
        expect.stringContaining(
          'Rendered payments-api for staging, prod: Terraform roots terraform/staging, terraform/prod',
        ),
        expect.stringContaining(
          'Dry run: terraform/staging, terraform/prod would be applied by nobody here',
        ),
        expect.stringContaining(
          'Skipping step publish-github because its if condition was false',
        ),
        expect.stringContaining(
          `Dry run: would publish to ${publishDir.resolve('payments-api')}`,
        ),
      ]),
    );
    // No file names in the log or the next steps: markdown would turn main.tf into a link.
    expect(messages.join('\n')).not.toMatch(/main\.tf/);
    expect(res.body.output.text[0].content).toContain(
      'Terraform roots, one per environment: `terraform/staging`, `terraform/prod`.',
    );
    expect(res.body.output.text[0].content).not.toMatch(/\.tf\b|\.yaml\b/);
    // No Repository link for a local publish: browsers refuse file:// URLs.
    expect(res.body.output.links).toEqual([
      {
        title: 'Open in catalog',
        icon: 'catalog',
        entityRef: 'component:default/payments-api',
      },
    ]);
    expect(await listFiles(publishDir.path)).toEqual([
      'earlier-api/catalog-info.yaml',
    ]);
  });

  it('writes a description with quotes, backslashes and braces so that it parses back', async () => {
    const description = 'Payments "API" \\ v2 — ${{ x }} #1: 100% {ok} ✓';
    const { res } = await dryRun({ ...values, description });
    expect(res.status).toBe(200);
    const files = filesOf(res);
    expect(JSON.parse(files['package.json']).description).toBe(description);
    expect(yaml.parse(files['catalog-info.yaml']).metadata.description).toBe(
      description,
    );
    expect(files['README.md']).toContain(`\n${description}\n`);
  });

  it('renders only staging when prod is not selected', async () => {
    const { res } = await dryRun({ ...values, environments: ['staging'] });
    expect(res.status).toBe(200);
    const paths = res.body.directoryContents.map((f: any) => f.path);
    expect(paths).toContain('terraform/staging/main.tf');
    expect(paths).not.toContain('terraform/prod/main.tf');
  });

  it.each([
    ['name', { name: 'Payments API' }],
    ['description', { description: 'Payments\tAPI' }],
    ['description', { description: 'Payments API\u0007' }],
  ])(
    'rejects a %s the form schema forbids before running any step',
    async (field, bad) => {
      const { res } = await dryRun({ ...values, ...bad });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].property).toBe(`instance.${field}`);
      expect(res.body.errors[0].message).toContain('does not match pattern');
      expect(names.requests).toEqual([]);
    },
  );

  it.each([
    ['name', { name: 'admin' }, 'Invalid name "admin"'],
    ['memory', { cpu: 1024, memory: 512 }, 'Invalid memory 512'],
    [
      'autoscaling.prod.min',
      { prodMinCount: 9, prodMaxCount: 3 },
      'Invalid autoscaling.prod.min 9',
    ],
  ])('reports a bad %s in the first step', async (_, bad, message) => {
    const { res } = await dryRun({ ...values, ...bad });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
    expect(names.requests).toEqual([]);
  });

  describe.each([
    [
      'the name of an existing entity',
      { name: 'search-api', owner: 'group:default/team-payments' },
      'ConflictError',
      'Invalid name "search-api": component:default/search-api already exists (owned by group:default/team-search)',
    ],
    [
      'the name of an ECS service without an entity',
      { name: 'legacy-worker' },
      'ConflictError',
      'Invalid name "legacy-worker": an ECS service legacy-worker exists in cluster demo-staging',
    ],
    [
      'the name of an earlier local publish',
      { name: 'earlier-api' },
      'ConflictError',
      `Invalid name "earlier-api": an earlier local publish holds it (${path.join(
        publishDir.path,
        'earlier-api',
      )})`,
    ],
    [
      'an owner group that does not exist',
      { owner: 'group:default/team-nope' },
      'InputError',
      'Invalid owner "group:default/team-nope": no such group in the catalog',
    ],
    [
      'an owner group the caller is not in',
      { owner: 'group:default/team-search' },
      'InputError',
      'Invalid owner "group:default/team-search": user:default/mock is not a member (member of group:default/team-payments); a member or an admin must create it',
    ],
  ])('refuses %s before any step writes', (_, bad, errorName, message) => {
    it('in a dry run', async () => {
      const { res } = await dryRun({ ...values, ...bad });
      expect(res.status).toBe(errorName === 'ConflictError' ? 409 : 400);
      expect(res.body.error).toMatchObject({ name: errorName, message });
      expect(await listFiles(publishDir.path)).toEqual([
        'earlier-api/catalog-info.yaml',
      ]);
    });

    it('in a real run, with the message and no stack trace in the log', async () => {
      const { status, events } = await realRun({ ...values, ...bad });
      expect(status).toBe('failed');
      const failed = events.find(e => e.body.status === 'failed');
      expect(failed.body.stepId).toBe('check');
      expect(failed.body.message).toBe(`${errorName}: ${message}`);
      const ran = events.filter(
        e => e.body.stepId && e.body.status !== 'skipped',
      );
      // Only the defaults (which write nothing) ran before the check.
      expect(new Set(ran.map(e => e.body.stepId))).toEqual(
        new Set(['form', 'check']),
      );
      for (const event of events) {
        expect(event.body.message ?? '').not.toMatch(/\n\s+at /);
      }
      expect(await listFiles(publishDir.path)).toEqual([
        'earlier-api/catalog-info.yaml',
      ]);
    });
  });
});
