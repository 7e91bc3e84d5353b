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
} from '@backstage/backend-test-utils';
import {
  ecsClient,
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
import {
  runTask,
  startAdoptionBackend,
  TERRAFORM,
  until,
} from './__testUtils__/adoptionBackend';
import { listFiles } from './__testUtils__/fixtures';
import { REPO_ROOT } from './__testUtils__/provisionFixtures';

jest.setTimeout(600_000);

const TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/adopt-ecs-service');
const ALICE = mockCredentials.user.header('user:default/alice');

describe('templates/adopt-ecs-service on the emulator', () => {
  const dir = createMockDirectory();
  let emulator: Emulator;
  let server: any;

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
    server = await startAdoptionBackend({
      endpoint: emulator.endpoint,
      root: dir.path,
      template: 'adopt-ecs-service',
      groups: ['team-payments', 'team-search'],
      people: [
        ['alice', 'team-payments'],
        ['carol', 'team-search'],
      ],
      ecsDeploy: {
        onboarding: {
          ownerTags: { groups: { payments: 'group:default/team-payments' } },
        },
      },
    });
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
    const { created, task, log } = await runTask(
      server,
      ALICE,
      'adopt-ecs-service',
      values,
      540_000,
    );
    expect(created.status).toBe(201);
    expect([task?.status, task?.status === 'completed' ? '' : log]).toEqual([
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
