/*
 * The message a failed provisioning ends the task with: what did not finish (a stopped apply's
 * unfinished resources), what exists now in each environment touched (terraform state list), and
 * the commands that remove it, after which the service can be created again. Nothing is published
 * or registered when provisioning fails, and the name stays taken while anything exists.
 */
import { TerraformError } from './terraformRunner';
import type { UnfinishedResource } from './terraformProgress';

/** An environment the task applied or was applying, with what its state holds now. */
export interface TouchedEnvironment {
  environment: string;
  /** Workspace-relative root, e.g. terraform/prod. */
  relative: string;
  /** `terraform state list`; a string when the state could not be read. */
  resources: string[] | string;
  /** Extra arguments of a destroy, e.g. -var=aws_endpoint=… */
  vars: string[];
}

export interface ProvisionFailure {
  error: TerraformError;
  /** The environment whose init or apply failed. */
  environment: string;
  /** The time limit of one environment, and where it is configured. */
  timeoutMs: number;
  unfinished: UnfinishedResource[];
  /** Environments applied before, then the failed one. */
  touched: TouchedEnvironment[];
  /** The kept working copy the roots are initialised in (with their state backend). */
  copyDir: string;
  /** How to run Terraform there, e.g. `terraform` or `AWS_ACCESS_KEY_ID=test … terraform`. */
  command: string;
}

/** 15 s, 1.5 min, 10 min: as the setting would be written. */
function duration(ms: number): string {
  return ms >= 60_000
    ? `${Number((ms / 60_000).toFixed(1))} min`
    : `${ms / 1000} s`;
}

function stillDoing(unfinished: UnfinishedResource[]): string {
  if (unfinished.length === 0) {
    return 'no resource was in progress (Terraform was still starting or reading)';
  }
  return `still ${unfinished
    .map(
      r =>
        `${r.action} ${r.address}${r.elapsed ? ` (${r.elapsed} elapsed)` : ''}`,
    )
    .join(', ')}`;
}

/** Whether anything exists that the report should tell how to remove. */
export function somethingExists(touched: TouchedEnvironment[]): boolean {
  return touched.some(
    t => typeof t.resources === 'string' || t.resources.length,
  );
}

/** The error the step fails with; its message is the whole report. */
export function provisionFailure(failure: ProvisionFailure): TerraformError {
  const { error, environment, touched } = failure;
  const lines: string[] = [];
  if (error.reason === 'timeout') {
    lines.push(
      `${environment}: Terraform did not finish within ${duration(
        failure.timeoutMs,
      )} (ecsDeploy.scaffolder.terraform.timeout) and was stopped: ${stillDoing(
        failure.unfinished,
      )}.`,
    );
  } else {
    lines.push(error.message);
  }
  lines.push('', 'Nothing was published or registered. What exists now:');
  for (const t of touched) {
    const what =
      typeof t.resources === 'string'
        ? `the state could not be read (${t.resources})`
        : `${t.resources.length} resources${
            t.resources.length ? `: ${t.resources.join(', ')}` : ''
          }`;
    lines.push(`- ${t.environment}: ${what}`);
  }
  if (somethingExists(touched)) {
    const present = touched.filter(
      t => typeof t.resources === 'string' || t.resources.length,
    );
    lines.push(
      '',
      `To retry, remove it (the name is taken while it exists), then create the service again. In ${failure.copyDir}:`,
      ...[...present]
        .reverse()
        .map(
          t =>
            `  ${failure.command} -chdir=${
              t.relative
            } destroy -auto-approve -input=false${t.vars
              .map(v => ` ${v}`)
              .join('')}`,
        ),
    );
  } else {
    lines.push('', 'Nothing to clean up: create the service again to retry.');
  }
  if (error.reason === 'timeout') {
    lines.push(
      `If ${environment} only needs longer, raise ecsDeploy.scaffolder.terraform.timeout first.`,
      '',
      error.message,
    );
  }
  return new TerraformError(lines.join('\n'), error.reason);
}
