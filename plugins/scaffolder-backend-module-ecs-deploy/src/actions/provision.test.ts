/*
 * ecs-deploy:provision without running Terraform: input checks, the pipeline and none modes, and
 * every example (provision.terraform.test.ts runs Terraform against the emulator).
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { provisionFixtures } from '../__testUtils__/provisionFixtures';
import { createProvisionAction } from './provision';
import { examples } from './provision.examples';

/** Never contacted: these tests run no Terraform. */
const ENDPOINT = 'http://127.0.0.1:9';

describe('ecs-deploy:provision', () => {
  const dir = createMockDirectory();
  const fixtures = provisionFixtures(() => dir.path);
  const { options, settings, context } = fixtures;
  const render = (name: string, envs: string[]) =>
    fixtures.render(name, envs, ENDPOINT);

  it.each([
    [
      { name: 'Bad_Name', environments: ['staging'] },
      /Invalid name "Bad_Name"/,
    ],
    [
      { name: 'prov-x', environments: ['dev'] },
      /Invalid environments "dev": not one of staging, prod, qa/,
    ],
    [
      { name: 'prov-x', environments: ['staging'] },
      /Invalid environments "staging": no Terraform root terraform\/staging in the workspace/,
    ],
  ])(
    'refuses bad input before running anything: %j',
    async (input, message) => {
      const action = createProvisionAction({
        scaffolder: options(ENDPOINT),
        provision: settings({ command: '/nonexistent/terraform' }),
      });
      const { ctx } = context(dir.resolve('empty-workspace'), input);
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it.each([
    [
      'pipeline',
      false,
      'terraform/staging, terraform/prod will be applied by the repository’s pipeline',
    ],
    [
      'pipeline',
      true,
      'Dry run: terraform/staging, terraform/prod would be applied by the repository’s pipeline',
    ],
    [
      'none',
      false,
      'terraform/staging, terraform/prod will be applied by nobody here (ecsDeploy.scaffolder.provision is none)',
    ],
  ] as const)(
    'mode %s (dry run %s) names the roots and who applies them, runs nothing',
    async (mode, isDryRun, message) => {
      const workspacePath = await render(`prov-${mode}`, ['staging', 'prod']);
      const action = createProvisionAction({
        scaffolder: options(ENDPOINT),
        provision: settings({ command: '/nonexistent/terraform' }, mode),
      });
      const { ctx, lines } = context(
        workspacePath,
        { name: `prov-${mode}`, environments: ['prod', 'staging'] },
        { isDryRun },
      );
      await action.handler(ctx as any);
      expect(lines).toEqual([expect.stringContaining(`info: ${message}`)]);
      expect(ctx.output).toHaveBeenCalledWith('mode', mode);
      expect(ctx.output).toHaveBeenCalledWith('applied', []);
    },
  );

  describe('credentials', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    /** Provisions staging with a stand-in for terraform that prints the keys it was given. */
    async function keysSeen(localEmulator: boolean) {
      const command = dir.resolve('fake-terraform.sh');
      fs.writeFileSync(
        command,
        '#!/usr/bin/env bash\necho "key=${AWS_ACCESS_KEY_ID-unset} secret=${AWS_SECRET_ACCESS_KEY-unset}"\n',
        { mode: 0o755 },
      );
      const name = `prov-keys-${localEmulator}`;
      const workspacePath = await render(name, ['staging']);
      const action = createProvisionAction({
        scaffolder: options(ENDPOINT),
        provision: settings({ command, localEmulator }),
      });
      const { ctx, lines } = context(workspacePath, {
        name,
        environments: ['staging'],
      });
      await action.handler({ ...ctx, checkpoint: ({ fn }: any) => fn() });
      return [...new Set(lines.filter(l => l.includes('key=')))];
    }

    it('with an endpoint but without localEmulator, Terraform gets the credential chain untouched', async () => {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      expect(await keysSeen(false)).toEqual([
        'info: staging: key=unset secret=unset',
      ]);
    });

    it("with localEmulator, the emulator's test keys unless the environment has its own", async () => {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      expect(await keysSeen(true)).toEqual([
        'info: staging: key=test secret=test',
      ]);
      process.env.AWS_ACCESS_KEY_ID = 'AKIAOWN';
      process.env.AWS_SECRET_ACCESS_KEY = 'own-secret';
      expect(await keysSeen(true)).toEqual([
        'info: staging: key=AKIAOWN secret=own-secret',
      ]);
    });
  });

  it('runs every example as a dry run in pipeline mode', async () => {
    for (const example of examples) {
      const step = yaml.parse(example.example).steps[0];
      const workspacePath = await render(
        step.input.name,
        step.input.environments,
      );
      const target = step.input.targetDirectory;
      if (target) {
        fs.mkdirSync(path.join(workspacePath, target), { recursive: true });
        fs.renameSync(
          path.join(workspacePath, 'terraform'),
          path.join(workspacePath, target, 'terraform'),
        );
      }
      const action = createProvisionAction({
        scaffolder: options(ENDPOINT),
        provision: settings({}, 'pipeline'),
      });
      const { ctx } = context(workspacePath, step.input, { isDryRun: true });
      await expect(action.handler(ctx as any)).resolves.toBeUndefined();
      fs.rmSync(workspacePath, { recursive: true });
    }
  });
});
