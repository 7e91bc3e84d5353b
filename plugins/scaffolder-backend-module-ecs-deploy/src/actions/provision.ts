import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  environmentNameProblem,
  serviceNameProblem,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EcsDeployScaffolderOptions, ProvisionSettings } from '../config';
import { runTerraform, withLock } from '../terraformRunner';
import { examples } from './provision.examples';

/** Id of the action. */
export const PROVISION_ACTION_ID = 'ecs-deploy:provision';

/** Options of {@link createProvisionAction}. */
export interface ProvisionActionOptions {
  scaffolder: Pick<
    EcsDeployScaffolderOptions,
    'environments' | 'backend' | 'localPublishDir'
  >;
  provision: ProvisionSettings;
  /** Between SIGINT and SIGKILL when a root is stopped (tests shorten it). Default 15 s. */
  killGraceMs?: number;
}

interface Root {
  environment: string;
  /** Workspace-relative directory, e.g. terraform/staging. */
  relative: string;
  endpoint?: string;
}

/** The line Terraform ends a plan or an apply with, e.g. "Plan: 14 to add, 0 to change, 0 to destroy." */
const SUMMARY = /^(Plan: .*|No changes\..*|Apply complete!.*)$/;

function invalid(field: string, value: unknown, problem: string): never {
  throw new InputError(`Invalid ${field} ${JSON.stringify(value)}: ${problem}`);
}

/** Test credentials for a local emulator unless the environment has its own; never logged. */
function terraformEnv(endpoint?: string): NodeJS.ProcessEnv {
  if (!endpoint) {
    return process.env;
  }
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'test',
  };
}

/**
 * `ecs-deploy:provision`: applies the rendered Terraform roots of a new service, one environment
 * after the other in configured order, before the repository is published and registered; or, per
 * `ecsDeploy.scaffolder.provision`, leaves them to the repository's pipeline or to nobody.
 *
 * @public
 */
export function createProvisionAction(options: ProvisionActionOptions) {
  const { scaffolder, provision, killGraceMs } = options;
  const { mode, terraform } = provision;
  return createTemplateAction({
    id: PROVISION_ACTION_ID,
    description:
      'Applies the Terraform roots rendered by ecs-deploy:render-service (terraform init + apply, staging first), or hands them to the repository pipeline, per ecsDeploy.scaffolder.provision.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('Service name (the render step’s name).'),
        environments: z =>
          z
            .array(z.string())
            .min(1)
            .describe(
              'Environments whose roots to apply (render-service’s environments output); applied in the configured order.',
            ),
        targetDirectory: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative directory the service was rendered into. Default the workspace root.',
            ),
      },
      output: {
        mode: z =>
          z
            .enum(['terraform', 'pipeline', 'none'])
            .describe(
              'Who applies the roots: terraform (this step), pipeline (the repository’s CI) or none.',
            ),
        applied: z =>
          z
            .array(z.string())
            .describe(
              'Environments this step applied (empty unless terraform).',
            ),
      },
    },
    async handler(ctx) {
      const { name, targetDirectory = '' } = ctx.input;
      const nameProblem = serviceNameProblem(name);
      if (nameProblem) invalid('name', name, nameProblem);
      const known = scaffolder.environments.map(e => e.name);
      for (const env of ctx.input.environments) {
        const problem =
          environmentNameProblem(env) ??
          (known.includes(env) ? undefined : `not one of ${known.join(', ')}`);
        if (problem) invalid('environments', env, problem);
      }
      const roots: Root[] = scaffolder.environments
        .filter(e => ctx.input.environments.includes(e.name))
        .map(e => ({
          environment: e.name,
          relative: path.posix.join(
            targetDirectory || '.',
            'terraform',
            e.name,
          ),
          endpoint: e.endpoint,
        }));
      for (const root of roots) {
        const dir = resolveSafeChildPath(ctx.workspacePath, root.relative);
        if (
          !(await fs.stat(path.join(dir, 'main.tf')).catch(() => undefined))
        ) {
          invalid(
            'environments',
            root.environment,
            `no Terraform root ${root.relative} in the workspace (run ecs-deploy:render-service first)`,
          );
        }
      }
      const list = roots.map(r => r.relative).join(', ');
      ctx.output('mode', mode);
      ctx.output('applied', []);
      if (mode !== 'terraform') {
        const who =
          mode === 'pipeline'
            ? 'the repository’s pipeline (its deploy workflow, after publishing)'
            : 'nobody here (ecsDeploy.scaffolder.provision is none): run scripts/deploy.sh <environment> in the repository';
        ctx.logger.info(
          `${ctx.isDryRun ? 'Dry run: ' : ''}${list} ${
            ctx.isDryRun ? 'would be' : 'will be'
          } applied by ${who}`,
        );
        return;
      }

      /**
       * Runs init and then `command` in a temporary copy of the root placed next to where
       * publish-local puts the repository, so relative module sources resolve as they will there.
       */
      const inCopy = async (root: Root, command: 'apply' | 'plan') => {
        await fs.mkdir(scaffolder.localPublishDir, { recursive: true });
        const copy = await fs.mkdtemp(
          path.join(scaffolder.localPublishDir, `.provision-${name}-`),
        );
        try {
          const dir = path.join(copy, root.relative);
          await fs.cp(
            resolveSafeChildPath(ctx.workspacePath, root.relative),
            dir,
            {
              recursive: true,
            },
          );
          let summary = '';
          // One time limit for the root, init and apply together.
          const deadline = Date.now() + terraform.timeoutMs;
          const run = (args: string[]) =>
            runTerraform({
              command: terraform.command,
              dir,
              args,
              env: terraformEnv(root.endpoint),
              timeoutMs: Math.max(1, deadline - Date.now()),
              killGraceMs,
              signal: ctx.signal,
              onLine(line, stream) {
                if (SUMMARY.test(line)) summary = line;
                if (stream === 'stderr')
                  ctx.logger.warn(`${root.environment}: ${line}`);
                else ctx.logger.info(`${root.environment}: ${line}`);
              },
            });
          const backendConfig: string[] = [];
          if (scaffolder.backend.type === 'local') {
            // A dry run starts from an empty state of its own and leaves the real one untouched.
            const state =
              command === 'apply'
                ? path.join(
                    terraform.stateDir,
                    name,
                    root.environment,
                    'terraform.tfstate',
                  )
                : path.join(copy, 'dry-run.tfstate');
            await fs.mkdir(path.dirname(state), { recursive: true });
            backendConfig.push(`-backend-config=path=${state}`);
          }
          const vars = root.endpoint
            ? [`-var=aws_endpoint=${root.endpoint}`]
            : [];
          await run(['init', '-input=false', '-no-color', ...backendConfig]);
          if (command === 'apply') {
            await run([
              'apply',
              '-auto-approve',
              '-input=false',
              '-no-color',
              ...vars,
            ]);
          } else {
            await run([
              'plan',
              '-input=false',
              '-no-color',
              '-lock=false',
              ...vars,
            ]);
          }
          ctx.logger.info(
            `${root.relative}: ${summary || `terraform ${command} finished`}`,
          );
          return summary;
        } finally {
          await fs.rm(copy, { recursive: true, force: true });
        }
      };

      if (ctx.isDryRun) {
        for (const root of roots) {
          await inCopy(root, 'plan');
        }
        ctx.logger.info(`Dry run: planned ${list}; nothing was applied`);
        return;
      }

      const applied: string[] = [];
      await withLock(
        `provision:${name}`,
        () =>
          ctx.logger.info(
            `Waiting for another task that is provisioning ${name}`,
          ),
        async () => {
          for (const root of roots) {
            // A retried task skips the roots it finished before.
            await ctx.checkpoint({
              key: `provision.${name}.${root.environment}`,
              fn: () => inCopy(root, 'apply'),
            });
            applied.push(root.environment);
          }
        },
      );
      ctx.output('applied', applied);
      ctx.logger.info(`Applied ${list}`);
    },
  });
}
