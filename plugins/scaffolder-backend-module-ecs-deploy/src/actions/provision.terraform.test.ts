/*
 * ecs-deploy:provision with the real terraform (scripts/terraform.sh: the local provider mirror)
 * against a private emulator: the roots render-service wrote are applied staging first, the
 * state lands where the local backend says, a dry run plans and changes nothing, a failing
 * apply fails the step with Terraform's words, and the time limit stops Terraform.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  ecsClient,
  eventually,
  startAwsProxy,
  startEmulator,
  type AwsProxy,
  type Emulator,
} from '@internal/dev-kit';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import {
  describeService,
  INITIAL_IMAGE,
  provisionFixtures,
  REPO_ROOT,
  seedEnvironment,
} from '../__testUtils__/provisionFixtures';
import { createProvisionAction } from './provision';

const execFileAsync = promisify(execFile);

const hasTerraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTerraform) {
  // eslint-disable-next-line no-console
  console.warn(
    'SKIPPED ecs-deploy:provision with terraform: `terraform` is not on PATH',
  );
}

(hasTerraform ? describe : describe.skip)(
  'ecs-deploy:provision with terraform',
  () => {
    jest.setTimeout(300_000);
    const dir = createMockDirectory();
    const fixtures = provisionFixtures(() => dir.path);
    const { publishDir, stateDir, options, settings, context } = fixtures;
    let emulator: Emulator;
    let hang: AwsProxy;
    const render = (
      name: string,
      envs: string[],
      endpoint = emulator.endpoint,
    ) => fixtures.render(name, envs, endpoint);

    beforeAll(async () => {
      emulator = await startEmulator({ rolloutSeconds: 1 });
      hang = await startAwsProxy({ target: emulator.endpoint });
      hang.setFault({ kind: 'hang', rate: 1 });
      await Promise.all(
        ['staging', 'prod'].map(env => seedEnvironment(emulator.endpoint, env)),
      );
      fs.mkdirSync(publishDir(), { recursive: true });
      fs.symlinkSync(
        path.join(REPO_ROOT, 'terraform-modules'),
        path.join(publishDir(), 'terraform-modules'),
      );
    });
    afterAll(async () => {
      await hang?.close();
      await emulator?.stop();
    });

    it('applies staging, then prod, line by line; both come up on the initial image; a retry re-applies nothing', async () => {
      const workspacePath = await render('prov-api', ['staging', 'prod']);
      const action = createProvisionAction({
        scaffolder: options(emulator.endpoint),
        provision: settings(),
      });
      // The scaffolder's checkpoints: a key that succeeded once returns its value without running.
      const done = new Map<string, any>();
      const checkpoint = async ({
        key,
        fn,
      }: {
        key: string;
        fn: () => any;
      }) => {
        if (!done.has(key)) done.set(key, await fn());
        return done.get(key);
      };
      const input = { name: 'prov-api', environments: ['prod', 'staging'] };
      const { ctx, lines } = context(workspacePath, input, { checkpoint });
      const started = Date.now();
      await action.handler(ctx as any);
      // eslint-disable-next-line no-console
      console.log(
        `provision: staging and prod applied in ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
      );

      expect(ctx.output).toHaveBeenCalledWith('mode', 'terraform');
      expect(ctx.output).toHaveBeenCalledWith('applied', ['staging', 'prod']);
      const at = (re: RegExp) => lines.findIndex(l => re.test(l));
      expect(
        at(/^info: staging: Plan: \d+ to add, 0 to change, 0 to destroy\.$/),
      ).toBeGreaterThan(-1);
      expect(
        at(
          /^info: staging: module\.service\.aws_ecs_service\.this: Creation complete/,
        ),
      ).toBeGreaterThan(-1);
      expect(
        at(/^info: staging: Apply complete! Resources: \d+ added/),
      ).toBeLessThan(at(/^info: prod: /));
      expect(
        at(/^info: prod: Apply complete! Resources: \d+ added/),
      ).toBeGreaterThan(-1);
      expect([...done.keys()]).toEqual([
        'provision.prov-api.staging',
        'provision.prov-api.prod',
      ]);
      const endpoint = emulator.endpoint;
      for (const env of ['staging', 'prod']) {
        expect(
          fs.existsSync(
            path.join(stateDir(), 'prov-api', env, 'terraform.tfstate'),
          ),
        ).toBe(true);
        const service = await eventually(`the ${env} rollout`, async () => {
          const s = await describeService(endpoint, env, 'prov-api');
          return s?.deployments?.[0]?.rolloutState === 'COMPLETED' && s;
        });
        const { taskDefinition } = await ecsClient(emulator.endpoint).send(
          new DescribeTaskDefinitionCommand({
            taskDefinition: service.taskDefinition,
          }),
        );
        expect(taskDefinition?.containerDefinitions?.[0].image).toBe(
          INITIAL_IMAGE,
        );
      }
      // The temporary copies are gone; nothing else was written next to the published repositories.
      expect(fs.readdirSync(publishDir())).toEqual(['terraform-modules']);

      const retry = context(workspacePath, input, { checkpoint });
      await action.handler(retry.ctx as any);
      expect(retry.lines).toEqual([
        'info: Applied terraform/staging, terraform/prod',
      ]);
      expect(retry.ctx.output).toHaveBeenCalledWith('applied', [
        'staging',
        'prod',
      ]);
    });

    it('dry run: init and plan per root against the emulator, no state and no resources', async () => {
      const workspacePath = await render('prov-dry', ['staging', 'prod']);
      const action = createProvisionAction({
        scaffolder: options(emulator.endpoint),
        provision: settings(),
      });
      const { ctx, lines } = context(
        workspacePath,
        { name: 'prov-dry', environments: ['staging', 'prod'] },
        { isDryRun: true },
      );
      await action.handler(ctx as any);
      for (const env of ['staging', 'prod']) {
        expect(lines).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^info: terraform/${env}: Plan: \\d+ to add, 0 to change, 0 to destroy\\.$`,
            ),
          ),
        );
        expect(
          await describeService(emulator.endpoint, env, 'prov-dry'),
        ).toBeUndefined();
      }
      expect(lines).not.toContainEqual(
        expect.stringMatching(/Creating\.\.\.|Apply complete/),
      );
      expect(fs.existsSync(path.join(stateDir(), 'prov-dry'))).toBe(false);
      expect(fs.readdirSync(publishDir())).toEqual(['terraform-modules']);
      expect(ctx.output).toHaveBeenCalledWith('applied', []);
    });

    it("fails the step with Terraform's error when apply fails, and applies nothing after it", async () => {
      // qa's environment was never created: its document cannot be read.
      const workspacePath = await render('prov-bad', ['prod', 'qa']);
      const action = createProvisionAction({
        scaffolder: options(emulator.endpoint, ['qa', 'prod']),
        provision: settings(),
      });
      const { ctx, lines } = context(workspacePath, {
        name: 'prov-bad',
        environments: ['prod', 'qa'],
      });
      const error = await action.handler(ctx as any).catch(e => e);
      expect(error.name).toBe('TerraformError');
      expect(error.message).toMatch(
        /^terraform apply in .*\/terraform\/qa failed \(exit code 1\):\n/,
      );
      expect(error.message).toContain('/ecs-deploy/environments/qa');
      expect(error.stack).not.toMatch(/\n\s+at /);
      expect(lines).toContainEqual(
        expect.stringMatching(/^warn: qa: .*Error: /),
      );
      expect(lines).not.toContainEqual(expect.stringMatching(/^info: prod: /));
      expect(
        await describeService(emulator.endpoint, 'prod', 'prov-bad'),
      ).toBeUndefined();
    });

    it('stops Terraform at the time limit of a root (an endpoint that never answers); nothing exists, nothing is kept', async () => {
      const workspacePath = await render(
        'prov-hang',
        ['staging'],
        hang.endpoint,
      );
      const action = createProvisionAction({
        scaffolder: options(hang.endpoint),
        provision: settings({ timeoutMs: 15_000 }),
        killGraceMs: 2000,
      });
      const { ctx } = context(workspacePath, {
        name: 'prov-hang',
        environments: ['staging'],
      });
      const started = Date.now();
      const error = await action.handler(ctx as any).catch(e => e);
      expect(error.message).toMatch(
        /^staging: Terraform did not finish within 15 s \(ecsDeploy\.scaffolder\.terraform\.timeout\) and was stopped: /,
      );
      expect(error.message).toContain('- staging: 0 resources');
      expect(error.message).toContain(
        'Nothing to clean up: create the service again to retry.',
      );
      expect(error.message).toMatch(
        /terraform (init|apply) in .*\/terraform\/staging reached its time limit; the process was stopped/,
      );
      expect(Date.now() - started).toBeLessThan(25_000 + 60_000);
      const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter(l => l.includes('.provision-prov-hang-'));
      expect(left).toEqual([]);
      expect(fs.readdirSync(publishDir())).toEqual(['terraform-modules']);
    });

    it('names the resource that did not finish, what exists, and the commands that remove it', async () => {
      // Every call answers but RegisterScalableTarget: prod's scalable target never finishes.
      const stuck = await startAwsProxy({ target: emulator.endpoint });
      stuck.setFault({ kind: 'hang', rate: 1, action: 'RegisterScalableTarget' });
      try {
        const workspacePath = await fixtures.render(
          'prov-stuck',
          ['staging', 'prod'],
          stuck.endpoint,
          { autoscaling: { prod: { enabled: true, min: 2, max: 4 } } },
        );
        const action = createProvisionAction({
          scaffolder: options(stuck.endpoint),
          provision: settings({ timeoutMs: 120_000 }),
          killGraceMs: 5000,
        });
        const { ctx } = context(workspacePath, {
          name: 'prov-stuck',
          environments: ['staging', 'prod'],
        });
        const error = await action.handler(ctx as any).catch(e => e);
        expect(error.name).toBe('TerraformError');
        expect(error.stack).not.toMatch(/\n\s+at /);
        const message: string = error.message;
        // Terraform prints its first "Still creating... [10s elapsed]" 10 s after a resource
        // starts; on a loaded machine the time limit can come sooner, so the figure is optional.
        expect(message).toMatch(
          /^prod: Terraform did not finish within 2 min \(ecsDeploy\.scaffolder\.terraform\.timeout\) and was stopped: still creating module\.service\.aws_appautoscaling_target\.this\[0\](?: \(\S+ elapsed\))?\.\n/,
        );
        // What exists: staging whole, prod without its scalable target.
        expect(message).toMatch(/^- staging: \d+ resources: .*module\.service\.aws_ecs_service\.this/m);
        expect(message).toMatch(/^- prod: \d+ resources: .*module\.service\.aws_ecs_service\.this/m);
        expect(message).not.toMatch(/^- prod: .*aws_appautoscaling_target/m);
        const kept = /To retry, remove it .* In (\S+):$/m.exec(message)?.[1];
        expect(kept).toBeDefined();
        const destroys = message
          .split('\n')
          .filter(l => l.includes(' destroy -auto-approve'))
          .map(l => l.trim());
        expect(destroys).toEqual([
          `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ${settings().terraform.command} -chdir=terraform/prod destroy -auto-approve -input=false -var=aws_endpoint=${stuck.endpoint}`,
          `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ${settings().terraform.command} -chdir=terraform/staging destroy -auto-approve -input=false -var=aws_endpoint=${stuck.endpoint}`,
        ]);
        expect(message).toContain(
          'If prod only needs longer, raise ecsDeploy.scaffolder.terraform.timeout first.',
        );
        expect(await describeService(emulator.endpoint, 'prod', 'prov-stuck')).toBeDefined();

        // The printed commands remove everything: the name is free again. Asynchronously: they
        // talk through the proxy, which serves from this process's event loop.
        for (const line of destroys) {
          const args = line.split(' ').slice(3);
          await execFileAsync(settings().terraform.command, args, {
            cwd: kept,
            env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
            timeout: 300_000,
          });
        }
        for (const env of ['staging', 'prod']) {
          expect(await describeService(emulator.endpoint, env, 'prov-stuck')).toBeUndefined();
        }
      } finally {
        await stuck.close();
      }
      // A 2 min apply that times out, then two destroys: more than the suite's 5 min when
      // the machine also runs CI's other stages.
    }, 900_000);
  },
);
