import {
  BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'yaml';
import { parseInput, relativePathField, serviceInputFields, Z } from '../input';
import { refusal } from '../errors';
import { examples } from './publishLocal.examples';

/** Id of the action. */
export const PUBLISH_LOCAL_ACTION_ID = 'ecs-deploy:publish-local';

/** Options of {@link createPublishLocalAction}. @public */
export interface PublishLocalActionOptions {
  /** Absolute directory the repositories are copied into (one sub-directory per repository). */
  localPublishDir: string;
  /** Registers the copied catalog-info.yaml as a `file` location when given. */
  catalog?: CatalogService;
  /**
   * After registering, how long to wait for the catalog to show the new entity, so that the
   * "Open in catalog" link of the finished task works. Default 30 s; 0 does not wait.
   */
  waitForEntityMs?: number;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** Reads the entity ref of the first Component (else the first entity) of a catalog file. */
async function entityRefOfCatalogFile(
  file: string,
): Promise<string | undefined> {
  const docs = yaml
    .parseAllDocuments(await fs.readFile(file, 'utf8'))
    .map(d => d.toJSON())
    .filter(d => d && typeof d === 'object' && d.kind && d.metadata?.name);
  const entity = docs.find(d => d.kind === 'Component') ?? docs[0];
  if (!entity) {
    return undefined;
  }
  return `${String(entity.kind).toLocaleLowerCase('en-US')}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
}

const publishLocalFields = {
  name: (z: Z) =>
    serviceInputFields
      .name(z)
      .describe(
        'Repository name: the directory created under the publish directory (service name rules).',
      ),
  sourcePath: (z: Z) =>
    relativePathField(z)
      .optional()
      .describe(
        'Workspace-relative directory to publish. Default the workspace root.',
      ),
  overwrite: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe(
        'Replace an existing directory of the same name. Default false.',
      ),
  register: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe(
        'Register catalog-info.yaml in the catalog as a file location. Default true.',
      ),
  waitForEntity: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe(
        "After registering, wait until the catalog shows the entity (so the task's catalog link works). Default true; a bulk import publishing hundreds sets false and lets the catalog catch up.",
      ),
  catalogInfoPath: (z: Z) =>
    z
      .string()
      .transform(value => value.replace(/^\/+/, ''))
      .pipe(relativePathField(z))
      .optional()
      .describe(
        'Path of the catalog file inside the published directory. Default /catalog-info.yaml.',
      ),
};

/**
 * Refuses to register `location` for an entity that another location already provides (the
 * catalog would report a conflict only in its logs and keep the other one).
 */
async function assertNotProvidedElsewhere(
  catalog: CatalogService,
  entityRef: string,
  location: string,
  credentials: BackstageCredentials,
) {
  const existing = await catalog.getEntityByRef(entityRef, { credentials });
  const origin = existing?.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
  if (existing && origin !== location) {
    throw refusal(
      new ConflictError(
        `Invalid name "${
          existing.metadata.name
        }": ${entityRef} is already provided by ${
          origin ?? 'another location'
        }; not registering ${location} for it`,
      ),
    );
  }
}

/**
 * `ecs-deploy:publish-local`: the local stand-in for `publish:github`. Copies the workspace (or a
 * sub-directory) to `<localPublishDir>/<name>` and registers its catalog-info.yaml as a `file`
 * location, so that the result can be inspected on disk and appears in the catalog.
 *
 * @public
 */
export function createPublishLocalAction(options: PublishLocalActionOptions) {
  const { localPublishDir, catalog, waitForEntityMs = 30_000 } = options;
  return createTemplateAction({
    id: PUBLISH_LOCAL_ACTION_ID,
    description:
      'Copies the workspace into a local directory (ecsDeploy.scaffolder.localPublishDir) instead of a Git host and registers its catalog-info.yaml as a file location.',
    examples,
    supportsDryRun: true,
    schema: {
      input: publishLocalFields,
      output: {
        remoteUrl: z =>
          z.string().describe('file:// URL of the published directory.'),
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              'file:// URL of the published directory (same as remoteUrl).',
            ),
        publishedPath: z =>
          z.string().describe('Absolute path of the published directory.'),
        catalogInfoUrl: z =>
          z
            .string()
            .describe('file:// URL of the published catalog-info.yaml.'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Entity reference read from the published catalog-info.yaml.',
            ),
      },
    },
    async handler(ctx) {
      const input = parseInput(publishLocalFields, ctx.input);
      const { name, sourcePath = '' } = input;
      const catalogInfoPath = input.catalogInfoPath || 'catalog-info.yaml';
      const source = resolveSafeChildPath(ctx.workspacePath, sourcePath || '.');
      const target = resolveSafeChildPath(localPublishDir, name);
      const catalogFile = resolveSafeChildPath(target, catalogInfoPath);
      const remoteUrl = pathToFileURL(target).toString();
      const catalogInfoUrl = pathToFileURL(catalogFile).toString();

      if (!(await exists(resolveSafeChildPath(source, catalogInfoPath)))) {
        throw refusal(
          new InputError(
            `Invalid catalogInfoPath "/${catalogInfoPath}": no such file in the workspace`,
          ),
        );
      }

      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', remoteUrl);
      ctx.output('publishedPath', target);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      const entityRef = await entityRefOfCatalogFile(
        resolveSafeChildPath(source, catalogInfoPath),
      );
      if (entityRef) {
        ctx.output('entityRef', entityRef);
      }
      const register = catalog !== undefined && input.register !== false;
      if (register && entityRef) {
        await assertNotProvidedElsewhere(
          catalog,
          entityRef,
          `file:${catalogFile}`,
          await ctx.getInitiatorCredentials(),
        );
      }

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish to ${target}`);
        return;
      }

      await ctx.checkpoint({
        key: `publish-local.copy.${name}`,
        fn: async () => {
          if (await exists(target)) {
            if (!input.overwrite) {
              throw refusal(
                new ConflictError(
                  `Invalid name "${name}": ${target} already exists (set overwrite: true to replace it)`,
                ),
              );
            }
            await fs.rm(target, { recursive: true, force: true });
          }
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.cp(source, target, { recursive: true });
          ctx.logger.info(`Published ${source} to ${target}`);
        },
      });

      if (register) {
        await ctx.checkpoint({
          key: `publish-local.register.${name}`,
          fn: async () => {
            try {
              await catalog.addLocation(
                { type: 'file', target: catalogFile },
                { credentials: await ctx.getInitiatorCredentials() },
              );
              ctx.logger.info(`Registered file location ${catalogFile}`);
            } catch (e) {
              if (isError(e) && e.name === 'ConflictError') {
                ctx.logger.info(
                  `Location ${catalogFile} is already registered`,
                );
                return;
              }
              throw e;
            }
          },
        });
        if (entityRef && waitForEntityMs > 0 && input.waitForEntity !== false) {
          const credentials = await ctx.getInitiatorCredentials();
          const deadline = Date.now() + waitForEntityMs;
          while (!(await catalog.getEntityByRef(entityRef, { credentials }))) {
            if (Date.now() > deadline) {
              ctx.logger.warn(
                `${entityRef} is not in the catalog yet; it will appear once the catalog has processed ${catalogFile}`,
              );
              return;
            }
            await new Promise(r => setTimeout(r, 500));
          }
          ctx.logger.info(`${entityRef} is in the catalog`);
        }
      }
    },
  });
}
