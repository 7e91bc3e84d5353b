import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  environmentNameProblem,
  serviceNameProblem,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EcsDeployScaffolderOptions, ProvisionSettings } from '../config';
import { provisionFailure, somethingExists } from '../provisionReport';
import { Root, RootFailure, RootsCopy } from '../rootsCopy';
import { withLock } from '../terraformRunner';
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

function invalid(field: string, value: unknown, problem: string): never {
  throw new InputError(`Invalid ${field} ${JSON.stringify(value)}: ${problem}`);
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
        verify: z =>
          z
            .boolean()
            .optional()
            .describe(
              'After each apply, plan again with -detailed-exitcode and fail unless it exits 0 (an adoption: Terraform agrees with what runs). Default false.',
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

      const copy = await RootsCopy.create({
        name,
        workspacePath: ctx.workspacePath,
        roots,
        localPublishDir: scaffolder.localPublishDir,
        terraform,
        backend: scaffolder.backend,
        logger: ctx.logger,
        signal: ctx.signal,
        killGraceMs,
      });

      if (ctx.isDryRun) {
        try {
          for (const root of roots) {
            await copy.run(root, 'plan');
          }
        } catch (e) {
          // A plan creates nothing: Terraform's own words are the whole story.
          throw e instanceof RootFailure ? e.error : e;
        } finally {
          await copy.remove();
        }
        ctx.logger.info(`Dry run: planned ${list}; nothing was applied`);
        return;
      }

      const applied: Root[] = [];
      try {
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
                fn: () => copy.run(root, 'apply'),
              });
              const pending = ctx.input.verify
                ? await copy.pendingChanges(root)
                : undefined;
              if (pending) {
                throw new ConflictError(
                  `Terraform does not agree with ${root.environment} after the apply: terraform plan -detailed-exitcode in ${root.relative} still says "${pending}"`,
                );
              }
              if (ctx.input.verify) {
                ctx.logger.info(
                  `${root.relative}: terraform plan -detailed-exitcode exits 0 (no changes)`,
                );
              }
              applied.push(root);
            }
          },
        );
      } catch (e) {
        if (!(e instanceof RootFailure)) {
          await copy.remove();
          throw e;
        }
        const failed = roots[applied.length];
        const touched = await Promise.all(
          [...applied, failed].map(async root => ({
            environment: root.environment,
            relative: root.relative,
            resources: await copy.stateList(root),
            vars: RootsCopy.vars(root),
          })),
        );
        // The initialised roots are how the user removes what exists; without anything, no copy.
        if (!somethingExists(touched)) {
          await copy.remove();
        }
        throw provisionFailure({
          error: e.error,
          environment: failed.environment,
          timeoutMs: terraform.timeoutMs,
          unfinished: e.unfinished,
          touched,
          copyDir: copy.dir,
          command: copy.command,
        });
      }
      await copy.remove();
      ctx.output(
        'applied',
        applied.map(r => r.environment),
      );
      ctx.logger.info(`Applied ${list}`);
    },
  });
}
