import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { adoptInputFields, toAdoptionSpec } from '../adoption/adoptionInput';
import {
  importBatch,
  serviceStatePath,
  verifyService,
  type BulkImportContext,
} from '../adoption/bulkImport';
import {
  readAdoptions,
  type ExistingServiceReader,
} from '../adoption/readExisting';
import { renderAdoptionFiles } from '../adoption/renderAdoption';
import type { AdoptionClient } from '../adoptionClient';
import type { EcsDeployScaffolderOptions, ProvisionSettings } from '../config';
import { parseInput, type Z } from '../input';
import { examples } from './importServices.examples';

/** Id of the action. */
export const IMPORT_SERVICES_ACTION_ID = 'ecs-deploy:import-services';

/** Services per batch root when `batchSize` is not given (templates/import-ecs-services shows it). */
export const DEFAULT_IMPORT_BATCH_SIZE = 50;

const { owner, description, environments } = adoptInputFields;
const importFields = {
  names: (z: Z) =>
    z
      .array(adoptInputFields.name(z))
      .min(1)
      .max(500)
      .describe(
        'ECS services adopted already (bulk adoption job or claim), each also its component’s name.',
      ),
  owner,
  description,
  environments,
  batchSize: (z: Z) =>
    z
      .number()
      .int()
      .min(1)
      .max(200)
      .optional()
      .describe(
        `Services imported by one Terraform run (one batch root). Default ${DEFAULT_IMPORT_BATCH_SIZE}.`,
      ),
  verify: (z: Z) =>
    z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'How many services’ own roots are planned (plan -detailed-exitcode) against their split state after the import, spread over the list. Default every one.',
      ),
};

/** A service's own answers (the rest, e.g. the backend being down, stop the step). */
const REFUSALS = [
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
];

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/**
 * `ecs-deploy:import-services`: the Terraform part of adopting many services at once. For each
 * service already claimed for its component (the bulk adoption job, or claim-service), the
 * initiator's right to it is asked of the ecs-deploy backend (a dry-run adoption: a member of the
 * claim's owner group or an admin, the same owner), then it is read and rendered into `<name>/`
 * like ecs-deploy:adopt-service (its own repository: catalog-info.yaml, one root per environment
 * with imports). The imports run in batches, one Terraform run per batch and environment, whose
 * plan must exit 0; each service's state is split out of the batch's into its own. Services that
 * cannot be imported are reported, not imported. Local backend only.
 *
 * @public
 */
export function createImportServicesAction(options: {
  scaffolder: EcsDeployScaffolderOptions;
  provision: ProvisionSettings;
  read: ExistingServiceReader;
  adoptions: AdoptionClient;
}) {
  const { scaffolder, provision, read, adoptions } = options;
  return createTemplateAction({
    id: IMPORT_SERVICES_ACTION_ID,
    description:
      'Imports many adopted ECS services into Terraform at once: renders each one’s repository (roots with imports), imports them in batches (one Terraform run per batch and environment, plan must exit 0) and splits the state into each service’s own.',
    examples,
    supportsDryRun: true,
    schema: {
      input: importFields,
      output: {
        imported: z =>
          z
            .array(z.string())
            .describe(
              'Services imported: their repository is rendered at <name>/ in the workspace.',
            ),
        refused: z =>
          z
            .array(z.object({ name: z.string(), reason: z.string() }))
            .describe('Services left out, each with the reason.'),
        verified: z =>
          z
            .array(z.string())
            .describe(
              'Services whose own roots were planned after the split, exiting 0.',
            ),
      },
    },
    async handler(ctx) {
      const input = parseInput(importFields, ctx.input);
      if (scaffolder.backend.type !== 'local') {
        throw new InputError(
          `ecsDeploy.scaffolder.backend.type "${scaffolder.backend.type}": a bulk import splits its state into the services' local states only; adopt these services one by one with the adopt template`,
        );
      }
      if (provision.mode !== 'terraform') {
        throw new InputError(
          `ecsDeploy.scaffolder.provision "${provision.mode}": a bulk import runs Terraform here (provision: terraform)`,
        );
      }
      const duplicate = input.names.find(
        (n, i) => input.names.indexOf(n) !== i,
      );
      if (duplicate) {
        throw new InputError(`Invalid names: "${duplicate}" is listed twice`);
      }
      const context: BulkImportContext = {
        workspacePath: ctx.workspacePath,
        localPublishDir: scaffolder.localPublishDir,
        terraform: provision.terraform,
        backend: scaffolder.backend,
        logger: ctx.logger,
        signal: ctx.signal,
      };
      const credentials = await ctx.getInitiatorCredentials();
      const refused: Array<{ name: string; reason: string }> = [];
      const readOne = async (name: string) => {
        const spec = toAdoptionSpec(
          {
            name,
            owner: input.owner,
            description: input.description,
            environments: input.environments,
          },
          scaffolder,
        );
        try {
          const claim = await adoptions.adopt(
            {
              serviceName: name,
              owner: spec.owner,
              environments: spec.environments,
              dryRun: true,
              acceptAdopted: true,
            },
            credentials,
          );
          if (!claim.alreadyAdopted) {
            throw new ConflictError(
              `ECS service ${name} is not adopted yet as ${claim.entityRef} for ${spec.owner} (adopt it first: the bulk adoption job or the adopt template)`,
            );
          }
          const byEnvironment = await readAdoptions(scaffolder, read, spec);
          const imported = await Promise.all(
            spec.environments.map(env =>
              fs.stat(serviceStatePath(context, name, env)).then(
                () => env,
                () => undefined,
              ),
            ),
          );
          if (imported.some(Boolean)) {
            throw new ConflictError(
              `ECS service ${name} is imported already (${imported
                .filter(Boolean)
                .join(', ')} has a state)`,
            );
          }
          return { spec, adoptions: byEnvironment };
        } catch (e) {
          if (!isError(e) || !REFUSALS.includes(e.name)) throw e;
          ctx.logger.warn(`Not imported: ${name}: ${e.name}: ${e.message}`);
          refused.push({ name, reason: `${e.name}: ${e.message}` });
          return undefined;
        }
      };
      // Read, then rendered into the workspace (in a dry run too, as render-service and
      // adopt-service do): the template's later steps publish from <name>/.
      const readChunk = async (names: string[]) => {
        const ready = (await mapBounded(names, 8, readOne)).flatMap(
          s => s ?? [],
        );
        for (const { spec, adoptions: a } of ready) {
          for (const [relative, content] of renderAdoptionFiles(spec, a)) {
            const file = resolveSafeChildPath(
              ctx.workspacePath,
              path.posix.join(spec.name, relative),
            );
            await fs.mkdir(path.dirname(file), { recursive: true });
            await fs.writeFile(file, content, 'utf8');
          }
        }
        return ready;
      };
      ctx.output('verified', []);
      const size = input.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
      // A dry run reads every service at once; a run reads the next batch's services while
      // Terraform imports this batch's (reading waits mostly on AWS's rate limits).
      const chunks = ctx.isDryRun
        ? [input.names]
        : Array.from({ length: Math.ceil(input.names.length / size) }, (_, c) =>
            input.names.slice(c * size, (c + 1) * size),
          );
      const services: Array<Awaited<ReturnType<typeof readChunk>>[number]> = [];
      let readWait = 0;
      let next: Promise<typeof services> | undefined = readChunk(chunks[0]);
      try {
        for (let c = 0; c < chunks.length; c++) {
          const waitStart = Date.now();
          const ready = await next!;
          readWait += Date.now() - waitStart;
          next = c + 1 < chunks.length ? readChunk(chunks[c + 1]) : undefined;
          // Its failure is thrown when it is awaited, or dropped after another one.
          next?.catch(() => undefined);
          services.push(...ready);
          // In the order given (the services are read concurrently).
          refused.sort(
            (x, y) => input.names.indexOf(x.name) - input.names.indexOf(y.name),
          );
          ctx.output('refused', [...refused]);
          if (ctx.isDryRun || ready.length === 0) continue;
          for (const env of scaffolder.environments) {
            if (!input.environments.includes(env.name)) continue;
            const started = Date.now();
            await importBatch(
              context,
              env,
              ready.map(s => ({
                spec: s.spec,
                adoption: s.adoptions[env.name],
              })),
            );
            // Of those not refused so far.
            const of = input.names.length - refused.length;
            ctx.logger.info(
              `${env.name}: imported ${ready.length} services (${
                services.length - ready.length + 1
              }-${services.length} of ${of}) in ${secs(
                Date.now() - started,
              )}, batch ${c + 1} of ${chunks.length}`,
            );
          }
        }
      } finally {
        // A failed import leaves no read running behind it.
        await next?.catch(() => undefined);
      }
      ctx.logger.info(
        `phases (${input.names.length} services): read ${secs(
          readWait,
        )} (waiting for reads: the next batch is read during the import)`,
      );
      if (ctx.isDryRun) {
        ctx.output(
          'imported',
          services.map(s => s.spec.name),
        );
        ctx.logger.info(
          `Dry run: would import ${services.length} services; their repositories are rendered, no Terraform ran`,
        );
        return;
      }
      const names = services.map(s => s.spec.name);
      ctx.output('imported', names);
      const count = Math.min(input.verify ?? names.length, names.length);
      const sample = Array.from(
        { length: count },
        (_, k) => names[Math.floor((k * names.length) / count)],
      );
      const verifyStart = Date.now();
      for (const name of sample) {
        for (const env of scaffolder.environments) {
          if (!input.environments.includes(env.name)) continue;
          const pending = await verifyService(context, env, name);
          if (pending) {
            throw new ConflictError(
              `Terraform does not agree with ${env.name} in ${name}'s own root after the split: terraform plan -detailed-exitcode says "${pending}"`,
            );
          }
          ctx.logger.info(
            `${name}/terraform/${env.name}: terraform plan -detailed-exitcode exits 0 (no changes)`,
          );
        }
      }
      ctx.logger.info(
        `phases (${sample.length} own roots): verify ${secs(
          Date.now() - verifyStart,
        )}`,
      );
      ctx.output('verified', sample);
    },
  });
}
