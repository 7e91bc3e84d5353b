import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  readAdoptions,
  type ExistingServiceReader,
} from '../adoption/readExisting';
import { renderAdoptionFiles } from '../adoption/renderAdoption';
import { EcsDeployScaffolderOptions } from '../config';
import { adoptInputFields, toAdoptionSpec } from '../adoption/adoptionInput';
import { entityRefOf } from '../render';
import { examples } from './adoptService.examples';

/** Id of the action. */
export const ADOPT_SERVICE_ACTION_ID = 'ecs-deploy:adopt-service';

/**
 * `ecs-deploy:adopt-service`: reads an existing ECS service in each environment and writes one
 * Terraform root per environment that calls ecs-service with the service's own settings and
 * imports the service, its task definition revision, its log group and the image parameters that
 * exist (ecs-deploy:claim-service creates them), plus catalog-info.yaml. Everything is read and
 * checked before anything is written; a setting the module cannot express (or a family whose
 * latest revision is not the running one) fails the step naming it. Applying a root tags the
 * service for the entity.
 *
 * @public
 */
export function createAdoptServiceAction(options: {
  scaffolder: EcsDeployScaffolderOptions;
  read: ExistingServiceReader;
}) {
  const { scaffolder, read } = options;
  return createTemplateAction({
    id: ADOPT_SERVICE_ACTION_ID,
    description:
      'Renders Terraform roots with import blocks (one per environment, on terraform-modules/ecs-service) and the catalog-info.yaml for an ECS service that already runs, keeping its settings and running task definition revision.',
    examples,
    supportsDryRun: true,
    schema: {
      input: adoptInputFields,
      output: {
        entityRef: z =>
          z.string().describe('Entity reference of the adopted component.'),
        roots: z =>
          z
            .array(z.string())
            .describe('Workspace-relative directories of the Terraform roots.'),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Path of catalog-info.yaml from the workspace root, with a leading slash.',
            ),
      },
    },
    async handler(ctx) {
      const spec = toAdoptionSpec(ctx.input, scaffolder);
      const adoptions = await readAdoptions(scaffolder, read, spec);
      const files = renderAdoptionFiles(spec, adoptions);
      for (const [relative, content] of files) {
        const absolute = resolveSafeChildPath(ctx.workspacePath, relative);
        await fs.mkdir(path.dirname(absolute), { recursive: true });
        await fs.writeFile(absolute, content, 'utf8');
      }
      const roots = spec.environments.map(env =>
        path.posix.join(spec.targetDirectory || '.', 'terraform', env),
      );
      ctx.logger.info(
        `Rendered the adoption of ${spec.name} for ${spec.environments.join(
          ', ',
        )}: Terraform roots ${roots.join(
          ', ',
        )} with imports, and the catalog descriptor`,
      );
      ctx.output('entityRef', entityRefOf(spec.name));
      ctx.output('roots', roots);
      ctx.output(
        'catalogInfoPath',
        `/${[...files.keys()].find(p => p.endsWith('catalog-info.yaml'))}`,
      );
    },
  });
}
