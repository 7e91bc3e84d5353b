/*
 * Terraform for ecs-deploy:provision, in one working copy of a service's roots placed next to where
 * publish-local puts the repository (so relative module sources resolve as they will there):
 * init + apply or plan per root within its time limit, streamed into the task log, and
 * `state list` to say what exists after a failure. The copy is removed when the task is done and
 * kept when a failure leaves resources behind (its initialised roots are what cleans them up).
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProvisionSettings } from './config';
import { TerraformProgress, UnfinishedResource } from './terraformProgress';
import { runTerraform, TerraformError } from './terraformRunner';
import type { BackendSettings } from './validation';

/** A rendered root of one environment. */
export interface Root {
  environment: string;
  /** Workspace-relative directory, e.g. terraform/staging. */
  relative: string;
  endpoint?: string;
}

/** An init or apply that failed, with what the apply was still doing when it stopped. */
export class RootFailure extends Error {
  constructor(
    readonly error: TerraformError,
    readonly unfinished: UnfinishedResource[],
  ) {
    super(error.message);
  }
}

export interface RootsCopyOptions {
  /** The service's name (state path, copy name). */
  name: string;
  workspacePath: string;
  roots: Root[];
  localPublishDir: string;
  terraform: ProvisionSettings['terraform'];
  backend: BackendSettings;
  logger: LoggerService;
  signal?: AbortSignal;
  /** Between SIGINT and SIGKILL when a root is stopped. */
  killGraceMs?: number;
  /** Further workspace-relative directories the roots refer to (a bulk import's modules). */
  include?: string[];
  /**
   * Go's GOGC for Terraform and its providers unless the environment sets one: a bulk import's
   * roots and the AWS provider spend much of their CPU in garbage collection at Go's default 100
   * (a service root's validate: 3.2 s CPU at 100, 2.6 s at 400).
   */
  gcPercent?: number;
  /** Told how long each Terraform command took (a bulk import's phase figures). */
  onTiming?: (command: string, ms: number) => void;
}

/** The line Terraform ends a plan or an apply with, e.g. "Plan: 14 to add, 0 to change, 0 to destroy." */
const SUMMARY = /^(Plan: .*|No changes\..*|Apply complete!.*)$/;
/** `state list` after a failure: Terraform was stopped already; this only reads. */
const STATE_LIST_TIMEOUT_MS = 60_000;

/** The emulator's test keys, only when configured as the local emulator; never logged. */
function terraformEnv(localEmulator: boolean): NodeJS.ProcessEnv {
  if (!localEmulator) {
    return process.env;
  }
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'test',
  };
}

export class RootsCopy {
  private constructor(
    readonly dir: string,
    private readonly options: RootsCopyOptions,
  ) {}

  static async create(options: RootsCopyOptions): Promise<RootsCopy> {
    await fs.mkdir(options.localPublishDir, { recursive: true });
    const dir = await fs.mkdtemp(
      path.join(options.localPublishDir, `.provision-${options.name}-`),
    );
    const relatives = [
      ...options.roots.map(r => r.relative),
      ...(options.include ?? []),
    ];
    for (const relative of relatives) {
      await fs.cp(
        resolveSafeChildPath(options.workspacePath, relative),
        path.join(dir, relative),
        { recursive: true },
      );
    }
    return new RootsCopy(dir, options);
  }

  /** `-var` arguments of a root's plan, apply or destroy. */
  static vars(root: Root): string[] {
    return root.endpoint ? [`-var=aws_endpoint=${root.endpoint}`] : [];
  }

  /** How a person runs Terraform in the copy to clean up (test keys shown only for the emulator). */
  get command(): string {
    const { command, localEmulator } = this.options.terraform;
    return localEmulator
      ? `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ${command}`
      : command;
  }

  /** init + apply (the state where the backend says) or init + plan (a dry run's own empty state). */
  async run(root: Root, command: 'apply' | 'plan'): Promise<string> {
    const { logger } = this.options;
    const progress = new TerraformProgress();
    let summary = '';
    // One time limit for the root, init and apply together.
    const deadline = Date.now() + this.options.terraform.timeoutMs;
    const run = (args: string[]) =>
      this.terraform(
        root,
        args,
        Math.max(1, deadline - Date.now()),
        (line, stream) => {
          if (SUMMARY.test(line)) summary = line;
          progress.onLine(line);
          if (stream === 'stderr') logger.warn(`${root.environment}: ${line}`);
          else logger.info(`${root.environment}: ${line}`);
        },
        this.options.signal,
      );
    try {
      await run([
        'init',
        '-input=false',
        '-no-color',
        ...(await this.backendConfig(root, command)),
      ]);
      await run(
        command === 'apply'
          ? [
              'apply',
              '-auto-approve',
              '-input=false',
              '-no-color',
              ...RootsCopy.vars(root),
            ]
          : [
              'plan',
              '-input=false',
              '-no-color',
              '-lock=false',
              ...RootsCopy.vars(root),
            ],
      );
    } catch (e) {
      throw e instanceof TerraformError
        ? new RootFailure(e, progress.unfinished())
        : e;
    }
    logger.info(
      `${root.relative}: ${summary || `terraform ${command} finished`}`,
    );
    return summary;
  }

  /** Where the backend keeps a root's state when it is local (`terraform.stateDir`), else undefined. */
  statePath(root: Root): string | undefined {
    return this.options.backend.type === 'local'
      ? path.join(
          this.options.terraform.stateDir,
          this.options.name,
          root.environment,
          'terraform.tfstate',
        )
      : undefined;
  }

  /** init against the root's own state, then {@link RootsCopy.pendingChanges}: does Terraform agree? */
  async verify(root: Root): Promise<string | undefined> {
    await this.terraform(
      root,
      [
        'init',
        '-input=false',
        '-no-color',
        ...(await this.backendConfig(root, 'apply')),
      ],
      this.options.terraform.timeoutMs,
      () => undefined,
      this.options.signal,
    );
    return this.pendingChanges(root);
  }

  /**
   * After an apply, in the same initialised root: `plan -detailed-exitcode`. Undefined when it
   * exits 0 (Terraform agrees with AWS), else the plan's summary line.
   */
  async pendingChanges(root: Root): Promise<string | undefined> {
    let summary = '';
    try {
      await this.terraform(
        root,
        [
          'plan',
          '-detailed-exitcode',
          '-input=false',
          '-no-color',
          '-lock=false',
          ...RootsCopy.vars(root),
        ],
        this.options.terraform.timeoutMs,
        line => {
          if (SUMMARY.test(line)) summary = line;
        },
        this.options.signal,
      );
      return undefined;
    } catch (e) {
      // Exit code 2: the plan has changes (1 is an error, thrown as it is).
      if (e instanceof TerraformError && / \(exit code 2\)/.test(e.message)) {
        return summary || 'changes pending';
      }
      throw e;
    }
  }

  /** `terraform state list` of an initialised root; a string saying why when it cannot be read. */
  async stateList(root: Root): Promise<string[] | string> {
    const initialised = await fs
      .stat(path.join(this.dir, root.relative, '.terraform'))
      .then(
        () => true,
        () => false,
      );
    if (!initialised) {
      return [];
    }
    const resources: string[] = [];
    try {
      // Not tied to the task's signal: a cancelled task is reported too.
      await this.terraform(
        root,
        ['state', 'list'],
        STATE_LIST_TIMEOUT_MS,
        (line, stream) => {
          if (stream === 'stdout') resources.push(line.trim());
        },
        undefined,
      );
      return resources;
    } catch (e) {
      // eslint-disable-next-line no-control-regex
      const message = (e as Error).message.replace(/\x1b\[[0-9;]*m/g, '');
      // Terraform stopped before it wrote any state: nothing exists.
      if (/No state file was found/.test(message)) {
        return [];
      }
      const lines = message
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean);
      return lines.find(l => /error/i.test(l)) ?? lines[0] ?? 'unknown error';
    }
  }

  remove(): Promise<void> {
    return fs.rm(this.dir, { recursive: true, force: true });
  }

  private terraform(
    root: Root,
    args: string[],
    timeoutMs: number,
    onLine: (line: string, stream: 'stdout' | 'stderr') => void,
    signal: AbortSignal | undefined,
  ) {
    const { terraform, killGraceMs, onTiming, gcPercent } = this.options;
    const env = terraformEnv(terraform.localEmulator);
    const started = Date.now();
    const timed = () => onTiming?.(args[0], Date.now() - started);
    return runTerraform({
      command: terraform.command,
      dir: path.join(this.dir, root.relative),
      args,
      env: gcPercent && !env.GOGC ? { ...env, GOGC: String(gcPercent) } : env,
      timeoutMs,
      killGraceMs,
      signal,
      onLine,
    }).finally(timed);
  }

  private async backendConfig(root: Root, command: 'apply' | 'plan') {
    if (this.options.backend.type !== 'local') {
      return [];
    }
    // A dry run starts from an empty state of its own and leaves the real one untouched.
    const state =
      command === 'apply'
        ? this.statePath(root)!
        : path.join(this.dir, `${root.environment}.dry-run.tfstate`);
    await fs.mkdir(path.dirname(state), { recursive: true });
    return [`-backend-config=path=${state}`];
  }
}
