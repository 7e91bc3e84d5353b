/*
 * templates/adopt-ecs-service end to end, on a started backend (the real ecs-deploy backend,
 * catalog and scaffolder with this module) against the emulator, with the real Terraform: a
 * service created through the AWS API (not Terraform) in staging and prod is adopted by a member
 * of the team its tags name. The dry run checks and plans, writing nothing, and names what cannot
 * be adopted (a family whose latest revision is not the running one; a caller of another team:
 * 403); the real run tags it and creates its image parameters from the running images (the
 * ecs-deploy backend's adoption), imports the service, its revision, its log group and the
 * parameters (plan -detailed-exitcode exits 0 afterwards, checked here again from the published
 * repository), and registers the component; ECS keeps its revision.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The real backend on purpose: the claim step is the ecs-deploy backend's adoption.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import {
  ecsClient,
  ecsDeployTestConfig,
  seedEnvironment,
  seedLegacyService,
  ssmClient,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { groupEntity } from './__testUtils__/backend';
import { listFiles } from './__testUtils__/fixtures';
import { REPO_ROOT } from './__testUtils__/provisionFixtures';
import scaffolderModuleEcsDeploy, {
  catalogModuleEcsDeployFileLocations,
} from './index';

jest.setTimeout(600_000);

const TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/adopt-ecs-service');
const TERRAFORM = path.join(REPO_ROOT, 'scripts/terraform.sh');
const ALICE = mockCredentials.user.header('user:default/alice');
const user = (name: string, group: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
});

describe('templates/adopt-ecs-service on the emulator', () => {
  const dir = createMockDirectory();
  let emulator: Emulator;
  let server: any;

  /** Polls `fn` until it answers; a real import on a loaded CI machine can take minutes. */
  const until = async <T>(
    fn: () => Promise<T | undefined>,
    what: string,
    timeoutMs = 300_000,
  ) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`Timed out waiting for ${what}`);
  };
  /** The last status each step logged in a dry run. */
  const statuses = (
    log: Array<{ body: { stepId?: string; status?: string } }>,
  ) =>
    Object.fromEntries(
      (log ?? [])
        .filter(l => l.body.stepId && l.body.status)
        .map(l => [l.body.stepId, l.body.status]),
    );
  const describe_ = async (env: string, name = 'billing') =>
    (
      await ecsClient(emulator.endpoint).send(
        new DescribeServicesCommand({
          cluster: `test-${env}`,
          services: [name],
          include: ['TAGS'],
        }),
      )
    ).services![0];
  const tagsOf = (s: { tags?: Array<{ key?: string; value?: string }> }) =>
    Object.fromEntries((s.tags ?? []).map(t => [t.key, t.value]));
  const terraform = (args: string[]) =>
    new Promise<{ code: number; out: string }>(resolve =>
      execFile(
        TERRAFORM,
        args,
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as any).code ?? 1) : 0,
            out: stdout + stderr,
          }),
      ),
    );
  const values = {
    name: 'billing',
    environments: ['staging', 'prod'],
    owner: 'group:default/team-payments',
    description: 'Billing, adopted',
    publishTarget: 'local',
  };

  beforeAll(async () => {
    // The scaffolder reads the services with the SDK's default chain (the emulator's test keys).
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator({ rolloutSeconds: 1 });
    for (const env of ['staging', 'prod']) {
      await seedEnvironment(emulator.endpoint, env, { cluster: `test-${env}` });
      await seedLegacyService(
        emulator.endpoint,
        env,
        'billing',
        `ghcr.io/acme/billing:7.1.${env === 'prod' ? 0 : 1}`,
        { family: `billing-${env}`, tags: { team: 'payments', cost: 'b42' } },
      );
      // One family for both environments (one account and region): prod's revision is the latest.
      await seedLegacyService(
        emulator.endpoint,
        env,
        'ledger',
        'ghcr.io/acme/ledger:3.2.0',
        { tags: { team: 'payments' } },
      );
    }
    fs.mkdirSync(dir.resolve('published'), { recursive: true });
    fs.symlinkSync(
      path.join(REPO_ROOT, 'terraform-modules'),
      dir.resolve('published/terraform-modules'),
    );
    fs.writeFileSync(
      dir.resolve('org.yaml'),
      [
        groupEntity('team-payments'),
        groupEntity('team-search'),
        user('alice', 'team-payments'),
        user('carol', 'team-search'),
      ]
        .map(e => yaml.stringify(e))
        .join('---\n'),
    );
    const config = ecsDeployTestConfig(emulator.endpoint, {
      onboarding: {
        ownerTags: { groups: { payments: 'group:default/team-payments' } },
      },
      scaffolder: {
        modulesSource: '../terraform-modules',
        localPublishDir: dir.resolve('published'),
        allowFileLocations: true,
        backend: { type: 'local' },
        provision: 'terraform',
        terraform: {
          command: TERRAFORM,
          stateDir: dir.resolve('state'),
          localEmulator: true,
        },
      },
    });
    server = (
      await startTestBackend({
        features: [
          ecsDeployPlugin,
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          catalogModuleEcsDeployFileLocations,
          scaffolderPlugin,
          scaffolderModuleEcsDeploy,
          mockServices.rootConfig.factory({
            data: {
              ...config,
              backend: { baseUrl: 'http://localhost:7007' },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'Template',
                      'Location',
                      'Group',
                      'User',
                    ],
                  },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.join(TEMPLATE_DIR, 'template.yaml'),
                  },
                  { type: 'file', target: dir.resolve('org.yaml') },
                ],
              },
            },
          }),
        ],
      })
    ).server;
    await until(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/user/default/alice')
        .set('Authorization', ALICE);
      const template = await request(server)
        .get('/api/catalog/entities/by-name/template/default/adopt-ecs-service')
        .set('Authorization', ALICE);
      return res.body.relations?.length && template.status === 200
        ? true
        : undefined;
    }, 'the catalog');
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('dry run: checks, renders and plans the imports, and writes nothing', async () => {
    const template = yaml.parse(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', ALICE)
      .send({ template, values, secrets: {}, directoryContents: [] });
    const log = (res.body.log ?? []).map((l: any) => l.body.message).join('\n');
    expect([
      res.status,
      res.body.error?.message,
      statuses(res.body.log),
    ]).toEqual([
      200,
      undefined,
      {
        form: 'completed',
        render: 'completed',
        claim: 'completed',
        provision: 'completed',
        'publish-github': 'skipped',
        'register-github': 'skipped',
        'publish-local': 'completed',
      },
    ]);
    expect(log).toContain('Dry run: would tag');
    expect(log).toMatch(
      /Plan: 3 to import, \d+ to add, \d+ to change, 0 to destroy/,
    );
    expect(res.body.directoryContents.map((f: any) => f.path).sort()).toEqual(
      [
        'catalog-info.yaml',
        ...['prod', 'staging'].flatMap(env =>
          ['.terraform.lock.hcl', 'main.tf', 'providers.tf', 'versions.tf'].map(
            f => `terraform/${env}/${f}`,
          ),
        ),
      ].sort(),
    );
    expect(tagsOf(await describe_('staging'))).toEqual({
      team: 'payments',
      cost: 'b42',
    });

    // ledger's staging revision is not its family's latest: named before anything is written.
    const shared = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', ALICE)
      .send({
        template,
        values: { ...values, name: 'ledger' },
        secrets: {},
        directoryContents: [],
      });
    expect([shared.status, shared.body.error?.message]).toEqual([
      400,
      expect.stringContaining(
        "ECS service ledger cannot be adopted as it runs: staging: task definition family ledger: the service runs revision 1 but the family's latest ACTIVE revision is 2",
      ),
    ]);
    expect(tagsOf(await describe_('staging', 'ledger'))).toEqual({
      team: 'payments',
    });

    // Carol is not of team-payments: the claim step's 403, before anything is written.
    const refused = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header('user:default/carol'))
      .send({ template, values, secrets: {}, directoryContents: [] });
    expect([refused.status, refused.body.error?.message]).toEqual([
      403,
      expect.stringContaining(
        'user:default/carol may not adopt billing: only members of group:default/team-payments or an admin may',
      ),
    ]);
    expect(tagsOf(await describe_('staging'))).toEqual({
      team: 'payments',
      cost: 'b42',
    });
  });

  it('real run: tags, creates the image parameters, imports (plan exits 0) and registers the component', async () => {
    const before = {
      staging: await describe_('staging'),
      prod: await describe_('prod'),
    };
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', ALICE)
      .send({ templateRef: 'template:default/adopt-ecs-service', values });
    expect(created.status).toBe(201);
    const task = await until(
      async () => {
        const res = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', ALICE);
        return ['completed', 'failed', 'cancelled'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      'the task',
      540_000,
    );
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', ALICE);
    const log = events.body.map((e: any) => e.body.message).join('\n');
    expect([task.status, task.status === 'completed' ? '' : log]).toEqual([
      'completed',
      '',
    ]);
    // The service, its task definition revision, its log group and the image parameter the claim created.
    expect(log).toMatch(
      /Plan: 4 to import, \d+ to add, \d+ to change, 0 to destroy/,
    );
    expect(log).toContain(
      'terraform/prod: terraform plan -detailed-exitcode exits 0 (no changes)',
    );

    for (const env of ['staging', 'prod']) {
      const after = await describe_(env);
      expect(tagsOf(after)).toMatchObject({
        team: 'payments',
        cost: 'b42',
        'backstage:entity-ref': 'component:default/billing',
      });
      const parameter = await ssmClient(emulator.endpoint).send(
        new GetParameterCommand({
          Name: `/ecs-deploy/${env}/billing/image/app`,
        }),
      );
      expect(parameter.Parameter?.Value).toBe(
        `ghcr.io/acme/billing:7.1.${env === 'prod' ? 0 : 1}`,
      );
    }
    for (const [env, was] of Object.entries(before)) {
      const after = await describe_(env);
      expect([after.taskDefinition, after.deployments?.length]).toEqual([
        was.taskDefinition,
        1,
      ]);
    }

    // Terraform agrees, asked again from the published repository with its state.
    const published = dir.resolve('published/billing');
    expect(await listFiles(published)).toEqual(
      expect.arrayContaining(['catalog-info.yaml', 'terraform/prod/main.tf']),
    );
    const root = path.join(published, 'terraform/prod');
    const init = await terraform([
      `-chdir=${root}`,
      'init',
      '-input=false',
      '-no-color',
      `-backend-config=path=${dir.resolve(
        'state/billing/prod/terraform.tfstate',
      )}`,
    ]);
    expect([init.code, init.code === 0 ? '' : init.out]).toEqual([0, '']);
    const plan = await terraform([
      `-chdir=${root}`,
      'plan',
      '-detailed-exitcode',
      '-input=false',
      '-no-color',
      `-var=aws_endpoint=${emulator.endpoint}`,
    ]);
    expect([plan.code, plan.out]).toEqual([
      0,
      expect.stringContaining('No changes.'),
    ]);

    const entity = await until(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/billing')
        .set('Authorization', ALICE);
      return res.status === 200 ? res.body : undefined;
    }, 'the component in the catalog');
    expect(entity.spec.owner).toBe('group:default/team-payments');

    // Adopted: a second adoption is a 409 naming the owner.
    const again = await request(server)
      .post('/api/ecs-deploy/adoptions')
      .set('Authorization', ALICE)
      .send({
        serviceName: 'billing',
        environments: ['prod'],
        owner: values.owner,
      });
    expect([again.status, again.body.error?.message]).toEqual([
      409,
      'An entity component:default/billing already exists (owner group:default/team-payments): ECS service billing cannot be adopted under its name',
    ]);
  }, 900_000); // the import alone may take nine minutes on a loaded machine
});
