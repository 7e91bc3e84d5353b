import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EcsDeployScaffolderOptions } from '../config';
import {
  entityRefOf,
  modulesSourceForRoot,
  renderServiceFiles,
  ServiceSpec,
} from '../render';
import {
  DEFAULT_ENVIRONMENTS,
  validateAutoscaling,
  validateCount,
  validateCpuMemory,
  validateDescription,
  validateEnvironments,
  validateHealthCheckPath,
  validateImage,
  validateImageRepository,
  validateModulesSource,
  validateOwner,
  validatePerEnvironmentKeys,
  validatePort,
  validateRegion,
  validateServiceName,
  validateTargetDirectory,
} from '../validation';
import { examples } from './renderService.examples';

/** Id of the action. */
export const RENDER_SERVICE_ACTION_ID = 'ecs-deploy:render-service';

/** The action's raw input (what the template passes). */
export interface RenderServiceInput {
  name: string;
  owner: string;
  description: string;
  image?: string;
  buildContext?: string;
  imageRepository?: string;
  port?: number;
  cpu?: number;
  memory?: number;
  healthCheckPath?: string;
  environments?: string[];
  desiredCounts?: Record<string, number>;
  autoscaling?: Record<string, { enabled?: boolean; min: number; max: number }>;
  modulesSource?: string;
  awsRegion?: string;
  targetDirectory?: string;
}

/**
 * Validates the input with the rules of the Terraform modules and turns it into a
 * {@link ServiceSpec}. Throws `InputError` naming the field and the bad value.
 */
export function toServiceSpec(
  input: RenderServiceInput,
  options: EcsDeployScaffolderOptions,
): ServiceSpec {
  const known = options.environments.map(e => e.name);
  const name = validateServiceName(input.name);
  const owner = validateOwner(input.owner);
  const description = validateDescription(input.description);
  const image =
    input.image !== undefined && input.image !== ''
      ? validateImage(input.image)
      : `${validateImageRepository(
          input.imageRepository ?? options.imageRepository,
        )}/${name}:initial`;
  if (input.buildContext !== undefined) {
    validateTargetDirectory(input.buildContext, 'buildContext');
  }
  const port = validatePort(input.port ?? 8080);
  const { cpu, memory } = validateCpuMemory(
    input.cpu ?? 256,
    input.memory ?? 512,
  );
  const healthCheckPath = validateHealthCheckPath(
    input.healthCheckPath ?? '/healthz',
  );
  const environments = validateEnvironments(
    input.environments ?? DEFAULT_ENVIRONMENTS.filter(e => known.includes(e)),
    known,
  );

  const counts = validatePerEnvironmentKeys(
    input.desiredCounts,
    known,
    environments,
    'desiredCounts',
  );
  const scalingInput = validatePerEnvironmentKeys(
    input.autoscaling,
    known,
    environments,
    'autoscaling',
  );
  const desiredCounts: Record<string, number> = {};
  const autoscaling: ServiceSpec['autoscaling'] = {};
  const regions: Record<string, string> = {};
  const awsRegion =
    input.awsRegion !== undefined && input.awsRegion !== ''
      ? validateRegion(input.awsRegion)
      : undefined;
  for (const env of environments) {
    desiredCounts[env] = validateCount(
      counts[env] ?? 1,
      `desiredCounts.${env}`,
    );
    if (scalingInput[env] !== undefined) {
      autoscaling[env] = validateAutoscaling(
        scalingInput[env],
        `autoscaling.${env}`,
      );
    }
    regions[env] =
      awsRegion ??
      options.environments.find(e => e.name === env)?.region ??
      options.defaultRegion;
  }

  const targetDirectory = validateTargetDirectory(input.targetDirectory);
  const modulesSource = modulesSourceForRoot(
    validateModulesSource(input.modulesSource ?? options.modulesSource),
    targetDirectory,
  );
  return {
    name,
    owner,
    description,
    image,
    port,
    cpu,
    memory,
    healthCheckPath,
    environments,
    desiredCounts,
    autoscaling,
    regions,
    modulesSource,
    backend: options.backend,
    targetDirectory,
  };
}

/**
 * `ecs-deploy:render-service`: writes `terraform/<env>/{main,versions,providers}.tf` (one root per
 * environment, calling ecs-environment-ref and ecs-service) and `catalog-info.yaml` into the
 * workspace. Validates everything before writing anything.
 *
 * @public
 */
export function createRenderServiceAction(options: EcsDeployScaffolderOptions) {
  return createTemplateAction({
    id: RENDER_SERVICE_ACTION_ID,
    description:
      'Renders the Terraform roots (one per environment, from terraform-modules/ecs-environment-ref and ecs-service) and the catalog-info.yaml of a new ECS service into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Service name: the Backstage entity name and the ECS service name. ^[a-z][a-z0-9-]{1,30}[a-z0-9]$, no "--", not a reserved word.',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'Owning group, e.g. group:default/team-payments (or team-payments).',
            ),
        description: z =>
          z.string().describe('One-line description of the service.'),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              'Initial container image. Omit when the service is built from its own Dockerfile: the image becomes <imageRepository>/<name>:initial until CI writes the real one.',
            ),
        buildContext: z =>
          z
            .string()
            .optional()
            .describe(
              'Docker build context inside the repository (informational; implies an image placeholder when image is omitted).',
            ),
        imageRepository: z =>
          z
            .string()
            .optional()
            .describe(
              'Image repository prefix for the placeholder image, default from ecsDeploy.scaffolder.imageRepository.',
            ),
        port: z =>
          z
            .number()
            .optional()
            .describe('Container port, 1-65535. Default 8080.'),
        cpu: z =>
          z
            .number()
            .optional()
            .describe(
              'Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. Default 256.',
            ),
        memory: z =>
          z
            .number()
            .optional()
            .describe(
              'Task memory in MiB, a Fargate size for the cpu (256 → 512, 1024, 2048; 512 → 1024-4096; ...). Default 512.',
            ),
        healthCheckPath: z =>
          z
            .string()
            .optional()
            .describe(
              'HTTP path of the container health check. Default /healthz.',
            ),
        environments: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Environments to render a root for, from ecsDeploy.environments. Default staging and prod.',
            ),
        desiredCounts: z =>
          z
            .record(z.number())
            .optional()
            .describe(
              'Desired task count per environment (0-100), e.g. { staging: 1, prod: 2 }. Default 1. Entries of unselected environments are ignored.',
            ),
        autoscaling: z =>
          z
            .record(
              z.object({
                enabled: z
                  .boolean()
                  .optional()
                  .describe('false ignores this entry. Default true.'),
                min: z.number().describe('Minimum task count, 0-100.'),
                max: z.number().describe('Maximum task count, 0-100, >= min.'),
              }),
            )
            .optional()
            .describe(
              'Autoscaling per environment, e.g. { prod: { min: 2, max: 6 } }. Omitted environments do not autoscale.',
            ),
        modulesSource: z =>
          z
            .string()
            .optional()
            .describe(
              'Where the roots load terraform-modules from: a path relative to the repository root or git::https://…//terraform-modules?ref=v1. Default from ecsDeploy.scaffolder.modulesSource.',
            ),
        awsRegion: z =>
          z
            .string()
            .optional()
            .describe(
              "AWS region of every root. Default: each environment's configured region.",
            ),
        targetDirectory: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative directory to write into. Default the workspace root.',
            ),
      },
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
      const files = renderServiceFiles(spec);
      const targets = [...files.keys()].map(relative => ({
        relative,
        absolute: resolveSafeChildPath(ctx.workspacePath, relative),
      }));

      for (const { relative, absolute } of targets) {
        await fs.mkdir(path.dirname(absolute), { recursive: true });
        await fs.writeFile(absolute, files.get(relative)!, 'utf8');
      }
      const paths = targets.map(t => t.relative).sort();
      const entityRef = entityRefOf(spec.name);
      ctx.logger.info(
        `Rendered ${spec.name} for ${spec.environments.join(
          ', ',
        )}: ${paths.join(', ')}`,
      );

      ctx.output('paths', paths);
      ctx.output('entityRef', entityRef);
      ctx.output('environments', spec.environments);
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
      ctx.logger.info(`Next: publish the repository and apply terraform/<env>`);
    },
  });
}
