/*
 * The Terraform part of adopting many services in one environment: batches of services imported
 * through one batch root each (batchRoot: one init, one import apply, one
 * `plan -detailed-exitcode` that must exit 0), the batch state split into each service's own state
 * (stateSplit) where the service's own root finds it, the batch state then removed. Afterwards
 * any service's own root can be planned against its own state (verify).
 * Local backend only: the split states are written where `terraform.stateDir` keeps them.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProvisionSettings } from '../config';
import { Root, RootFailure, RootsCopy } from '../rootsCopy';
import type { BackendSettings } from '../validation';
import { batchRootDir, renderBatchFiles, type BatchService } from './batchRoot';
import { splitState } from './stateSplit';

/** What every batch and verification of one task shares. */
export interface BulkImportContext {
  /** Where the batch roots are written before they are copied next to the published repositories. */
  workspacePath: string;
  localPublishDir: string;
  terraform: ProvisionSettings['terraform'];
  backend: BackendSettings;
  logger: LoggerService;
  signal?: AbortSignal;
}

/** GOGC of a bulk import's Terraform runs: less CPU in garbage collection, for more memory. */
const GC_PERCENT = 400;

/** The root's summary line ("terraform/<env>: Apply complete! …"), the only info line of a batch kept. */
const SUMMARY = /^terraform\/[^:]+: /;

/**
 * A logger that passes on warnings and errors (Terraform's stderr) and the root's summary line
 * only: a batch's apply writes thousands of lines (a few per resource), each a task log event.
 */
function summaryLogger(logger: LoggerService): LoggerService {
  return {
    ...logger,
    info: (message, meta) => {
      if (SUMMARY.test(message)) logger.info(message, meta);
    },
    child: () => summaryLogger(logger),
  } as LoggerService;
}

/** Milliseconds per phase, in the order first seen; `since` measures from its previous call. */
class Timings {
  private readonly ms = new Map<string, number>();
  private last = Date.now();

  add(phase: string, ms: number) {
    this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
  }

  since(): number {
    const now = Date.now();
    const ms = now - this.last;
    this.last = now;
    return ms;
  }

  toString() {
    return [...this.ms]
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`)
      .join(', ');
  }
}

/**
 * Imports `services` of `env` through one batch root: apply, plan must exit 0, then each service's
 * state is written to its own state path. Throws a ConflictError when the plan after the apply
 * has changes; a failed apply keeps its copy (and the batch state) for inspection.
 */
export async function importBatch(
  context: BulkImportContext,
  env: { name: string; endpoint?: string },
  services: BatchService[],
): Promise<void> {
  const id = `adopt-batch-${randomBytes(4).toString('hex')}`;
  const timings = new Timings();
  const source = path.join(context.workspacePath, '.batches', id);
  for (const [relative, content] of renderBatchFiles(env.name, services)) {
    await fs.mkdir(path.dirname(path.join(source, relative)), {
      recursive: true,
    });
    await fs.writeFile(path.join(source, relative), content, 'utf8');
  }
  const names = services.map(s => s.spec.name);
  const root: Root = {
    environment: env.name,
    relative: batchRootDir(env.name),
    endpoint: env.endpoint,
  };
  const copy = await RootsCopy.create({
    ...context,
    logger: summaryLogger(context.logger),
    name: id,
    workspacePath: source,
    roots: [root],
    include: ['modules'],
    gcPercent: GC_PERCENT,
    onTiming: (command, ms) => timings.add(command, ms),
  });
  timings.add('batch-files', timings.since());
  const batchState = copy.statePath(root)!;
  try {
    await copy.run(root, 'apply');
  } catch (e) {
    throw e instanceof RootFailure
      ? new Error(
          `The import of ${names.length} services in ${env.name} (${
            names[0]
          } … ${
            names[names.length - 1]
          }) failed; its root and state are kept in ${
            copy.dir
          } and ${batchState}: ${e.error.message}`,
        )
      : e;
  }
  const pending = await copy.pendingChanges(root);
  if (pending) {
    throw new ConflictError(
      `Terraform does not agree with ${env.name} after importing ${names.join(
        ', ',
      )}: terraform plan -detailed-exitcode in ${copy.dir}/${
        root.relative
      } says "${pending}"`,
    );
  }
  context.logger.info(
    `${env.name}: terraform plan -detailed-exitcode exits 0 (no changes) for ${names.length} services imported together`,
  );
  timings.since();
  const states = splitState(
    JSON.parse(await fs.readFile(batchState, 'utf8')),
    names,
  );
  for (const [name, state] of states) {
    const target = serviceStatePath(context, name, env.name);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // 'wx': never over a state that appeared meanwhile (the service imported by another task).
    await fs.writeFile(target, `${JSON.stringify(state, null, 2)}\n`, {
      flag: 'wx',
    });
  }
  // The batch state would manage the same resources twice: gone once every service has its own.
  await fs.rm(path.dirname(path.dirname(batchState)), {
    recursive: true,
    force: true,
  });
  await copy.remove();
  await fs.rm(source, { recursive: true, force: true });
  timings.add('split', timings.since());
  context.logger.info(
    `${env.name}: phases (${names.length} services imported together): ${timings}`,
  );
}

/** Where the local backend keeps a service's state in an environment. */
export function serviceStatePath(
  context: Pick<BulkImportContext, 'terraform'>,
  name: string,
  env: string,
): string {
  return path.join(context.terraform.stateDir, name, env, 'terraform.tfstate');
}

/**
 * A service's own root (rendered at `<workspacePath>/<name>`), initialised against its own state
 * and planned: undefined when `plan -detailed-exitcode` exits 0, else the plan's summary.
 */
export async function verifyService(
  context: BulkImportContext,
  env: { name: string; endpoint?: string },
  name: string,
): Promise<string | undefined> {
  const root: Root = {
    environment: env.name,
    relative: `terraform/${env.name}`,
    endpoint: env.endpoint,
  };
  const copy = await RootsCopy.create({
    ...context,
    name,
    workspacePath: path.join(context.workspacePath, name),
    roots: [root],
    gcPercent: GC_PERCENT,
  });
  try {
    return await copy.verify(root);
  } finally {
    await copy.remove();
  }
}
