/*
 * Splits the state of a bulk import (batchRoot) into one state per service, as if each service's
 * own root had imported it: the resources of `module.<name>.…` lose that prefix, the batch's
 * output `<name>` (an object of the service root's outputs) becomes the root's outputs, and each
 * state gets a lineage of its own. This is what `terraform state mv -state-out` does one address
 * at a time; done in one pass, because each `state mv` rewrites the whole batch state. Pure.
 */
import { randomUUID } from 'node:crypto';

/** The parts of a Terraform state (format version 4) the split reads and writes. */
interface StateV4 {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<
    string,
    { value: unknown; type: unknown; sensitive?: boolean }
  >;
  resources: Array<{ module?: string; mode: string; [key: string]: unknown }>;
  check_results?: unknown;
}

/** The state of every service of `names` found in `batch`, keyed by name. */
export function splitState(
  batch: StateV4,
  names: string[],
  lineage: () => string = randomUUID,
): Map<string, StateV4> {
  if (batch.version !== 4) {
    throw new Error(
      `Unsupported Terraform state format version ${batch.version} (expected 4)`,
    );
  }
  const states = new Map<string, StateV4>();
  for (const name of names) {
    const prefix = `module.${name}`;
    const output = batch.outputs[name];
    const fields: Record<string, unknown> = Array.isArray(output?.type)
      ? (output.type as [string, Record<string, unknown>])[1]
      : {};
    const values = (output?.value ?? {}) as Record<string, unknown>;
    states.set(name, {
      version: 4,
      terraform_version: batch.terraform_version,
      serial: 1,
      lineage: lineage(),
      outputs: Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
          key,
          { value, type: fields[key] },
        ]),
      ),
      resources: batch.resources
        .filter(
          r =>
            r.module !== undefined &&
            (r.module === prefix || r.module.startsWith(`${prefix}.`)),
        )
        .map(({ module, ...rest }) => {
          const inner = module!.slice(prefix.length + 1);
          return inner ? { module: inner, ...rest } : rest;
        }) as StateV4['resources'],
      check_results: null,
    });
  }
  return states;
}
