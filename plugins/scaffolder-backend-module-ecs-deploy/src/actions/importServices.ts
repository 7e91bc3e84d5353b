import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { adoptInputFields, toAdoptionSpec } from '../adoption/adoptionInput';
import type { BatchService } from '../adoption/batchRoot';
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
      const readStart = Date.now();
      const ready = await mapBounded(input.names, 8, async name => {
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
          refused.push({ name, reason: `${e.name}: ${e.message}` });
          return undefined;
        }
      });
      const services = ready.flatMap(s => s ?? []);
      const renderStart = Date.now();
      // In the order given (the services were read concurrently).
      refused.sort(
        (a, b) => input.names.indexOf(a.name) - input.names.indexOf(b.name),
      );
      for (const r of refused) {
        ctx.logger.warn(`Not imported: ${r.name}: ${r.reason}`);
      }
      ctx.output('refused', refused);
      ctx.output('verified', []);
      // Into the workspace in a dry run too (as render-service and adopt-service do): the
      // template's later steps publish from <name>/.
      for (const { spec, adoptions: a } of services) {
        for (const [relative, content] of renderAdoptionFiles(spec, a)) {
          const file = resolveSafeChildPath(
            ctx.workspacePath,
            path.posix.join(spec.name, relative),
          );
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, content, 'utf8');
        }
      }
      ctx.logger.info(
        `phases (${input.names.length} services): read ${secs(
          renderStart - readStart,
        )}, render ${secs(Date.now() - renderStart)}`,
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
      const size = input.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
      for (const env of scaffolder.environments) {
        if (!input.environments.includes(env.name)) continue;
        const batch: BatchService[] = services.map(s => ({
          spec: s.spec,
          adoption: s.adoptions[env.name],
        }));
        for (let i = 0; i < batch.length; i += size) {
          const started = Date.now();
          await importBatch(context, env, batch.slice(i, i + size));
          ctx.logger.info(
            `${env.name}: imported ${Math.min(
              size,
              batch.length - i,
            )} services (${i + 1}-${Math.min(i + size, batch.length)} of ${
              batch.length
            }) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
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
