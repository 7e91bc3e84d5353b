import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod/v3';
import { EcsDeployScaffolderOptions } from '../config';
import { serviceInputFields } from '../input';
import { createListenerPriorityAllocator } from '../listenerPriority';
import { entityRefOf, needsListenerRule, renderServiceFiles } from '../render';
import { toServiceSpec } from '../serviceSpec';
import { examples } from './renderService.examples';

/** Id of the action. */
export const RENDER_SERVICE_ACTION_ID = 'ecs-deploy:render-service';

/** The action's raw input (what the template passes). */
export type RenderServiceInput = z.input<
  z.ZodObject<{
    [K in keyof typeof serviceInputFields]: ReturnType<
      (typeof serviceInputFields)[K]
    >;
  }>
>;

/**
 * `ecs-deploy:render-service`: writes `terraform/<env>/{main,versions,providers}.tf` and the
 * provider lock file (one root per environment, calling ecs-environment-ref and ecs-service) and
 * `catalog-info.yaml` into the workspace. Validates everything before writing anything. An
 * environment whose strategy shifts traffic (canary, linear, blue/green) gets a rule on its shared
 * ALB listener, its priority read off the listener's rules (ELBv2, read-only).
 *
 * @public
 */
export function createRenderServiceAction(options: EcsDeployScaffolderOptions) {
  const allocatePriority = createListenerPriorityAllocator(options);
  return createTemplateAction({
    id: RENDER_SERVICE_ACTION_ID,
    description:
      'Renders the Terraform roots (one per environment, from terraform-modules/ecs-environment-ref and ecs-service) and the catalog-info.yaml of a new ECS service into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: serviceInputFields,
      output: {
        paths: z =>
          z
            .array(z.string())
            .describe('Workspace-relative paths of the files written.'),
        entityRef: z =>
          z.string().describe('Entity reference of the new component.'),
        environments: z =>
          z
            .array(z.string())
            .describe('Environments a Terraform root was rendered for.'),
        roots: z =>
          z
            .array(z.string())
            .describe(
              'Workspace-relative directories of the Terraform roots, e.g. terraform/staging.',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Path of catalog-info.yaml from the workspace root, with a leading slash (for catalog:register catalogInfoPath).',
            ),
      },
    },
    async handler(ctx) {
      // Validate and render everything in memory first: a bad input writes nothing.
      const spec = toServiceSpec(ctx.input, options);
      const entityRef = entityRefOf(spec.name);
      const priorities: Record<string, number> = {};
      for (const env of spec.environments.filter(e =>
        needsListenerRule(spec, e),
      )) {
        priorities[env] = await allocatePriority(
          options.environments.find(e => e.name === env)!,
          spec.name,
          entityRef,
        );
        ctx.logger.info(
          `${env}: ${spec.strategies[env].type} on the shared listener, rule priority ${priorities[env]}`,
        );
      }
      const files = renderServiceFiles(spec, priorities);
      const targets = [...files.keys()].map(relative => ({
        relative,
        absolute: resolveSafeChildPath(ctx.workspacePath, relative),
      }));

      for (const { relative, absolute } of targets) {
        await fs.mkdir(path.dirname(absolute), { recursive: true });
        await fs.writeFile(absolute, files.get(relative)!, 'utf8');
      }
      const paths = targets.map(t => t.relative).sort();
      const roots = spec.environments.map(env =>
        path.posix.join(spec.targetDirectory || '.', 'terraform', env),
      );
      // Directories, not file names: the task log turns names like main.tf into links.
      ctx.logger.info(
        `Rendered ${spec.name} for ${spec.environments.join(
          ', ',
        )}: Terraform roots ${roots.join(', ')} and the catalog descriptor`,
      );

      ctx.output('paths', paths);
      ctx.output('entityRef', entityRef);
      ctx.output('environments', spec.environments);
      ctx.output('roots', roots);
      ctx.output(
        'catalogInfoPath',
        `/${paths.find(p => p.endsWith('catalog-info.yaml'))}`,
      );
      // The action has no side effect beyond the workspace, so a dry run writes the same files;
      // anything external added later goes after this return.
      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: files rendered into the workspace only');
        return;
      }
      ctx.logger.info(
        `Next: publish the repository and apply ${roots.join(', ')}`,
      );
    },
  });
}
