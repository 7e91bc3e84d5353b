/*
 * Terraform as a bounded child process: output streamed line by line, stopped on timeout or
 * cancellation (SIGINT first so that Terraform saves its state, then SIGKILL to its whole process
 * group, provider plugins included), and a failure reported with the last lines Terraform wrote
 * to stderr.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** Options of {@link runTerraform}. */
export interface TerraformRunOptions {
  /** `terraform`, or a wrapper that execs it (the repository's scripts/terraform.sh). */
  command: string;
  /** The root module directory, passed as `-chdir`. */
  dir: string;
  /** Subcommand and its arguments, e.g. `['apply', '-auto-approve']`. */
  args: string[];
  /** The process's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The process is stopped after this long (what is left of the root's time limit). */
  timeoutMs: number;
  /** Stops the process when aborted (a cancelled task). */
  signal?: AbortSignal;
  /** Time between SIGINT and SIGKILL when stopping. Default 15 s. */
  killGraceMs?: number;
  /** Every non-empty output line, as it arrives. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

/** How many stderr lines a failure message carries. */
const STDERR_TAIL_LINES = 20;

/**
 * A failed, timed-out or cancelled Terraform command. Its stack is its message: the scaffolder
 * prints `err.stack` into the task log, and Terraform's own words are what the user needs there.
 */
export class TerraformError extends Error {
  constructor(
    message: string,
    /** Why: Terraform failed, or was stopped at its time limit or by a cancellation. */
    readonly reason: 'failed' | 'timeout' | 'cancelled' = 'failed',
  ) {
    super(message);
    this.name = 'TerraformError';
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The child's environment: no shared plugin cache (Terraform's is not safe for concurrent use,
 * and several tasks may run at once); providers come from the CLI configuration's mirror or the
 * registry into each root's own directory.
 */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TF_PLUGIN_CACHE_DIR: _cache, ...rest } = env;
  return { ...rest, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
}

/** Runs `<command> -chdir=<dir> <args>`; resolves when it exits 0, else rejects with a {@link TerraformError}. */
export function runTerraform(options: TerraformRunOptions): Promise<void> {
  const { command, dir, args, timeoutMs, signal, onLine } = options;
  const killGraceMs = options.killGraceMs ?? 15_000;
  const label = `terraform ${args[0]}`;
  if (signal?.aborted) {
    return Promise.reject(
      new TerraformError(
        `${label} was not started: the task was cancelled`,
        'cancelled',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, [`-chdir=${dir}`, ...args], {
      env: childEnv(options.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: stopping it reaches the provider plugins too.
      detached: true,
    });
    const stderrTail: string[] = [];
    let stopReason:
      | { reason: 'timeout' | 'cancelled'; text: string }
      | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // the group is gone already
      }
    };
    const stop = (reason: 'timeout' | 'cancelled', text: string) => {
      if (stopReason !== undefined || child.pid === undefined) {
        return;
      }
      stopReason = { reason, text };
      signalGroup('SIGINT');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), killGraceMs);
    };
    const timeout = setTimeout(
      () => stop('timeout', 'reached its time limit'),
      timeoutMs,
    );
    const onAbort = () => stop('cancelled', 'was cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });

    const lines = (stream: 'stdout' | 'stderr') => {
      const rl = readline.createInterface({ input: child[stream]! });
      rl.on('line', raw => {
        const line = raw.trimEnd();
        if (!line.trim()) {
          return;
        }
        if (stream === 'stderr') {
          stderrTail.push(line);
          if (stderrTail.length > STDERR_TAIL_LINES) {
            stderrTail.shift();
          }
        }
        onLine(line, stream);
      });
      return new Promise<void>(done => rl.once('close', done));
    };
    const drained = Promise.all([lines('stdout'), lines('stderr')]);

    const finish = (error?: TerraformError) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    child.once('error', e =>
      finish(
        new TerraformError(
          `${label} could not start (${command}): ${e.message}`,
        ),
      ),
    );
    child.once('exit', (code, sig) => {
      // Whatever the group still holds (a provider plugin) goes with it.
      if (stopReason !== undefined) {
        signalGroup('SIGKILL');
      }
      drained.then(() => {
        const stderr = stderrTail.length ? `:\n${stderrTail.join('\n')}` : '';
        if (stopReason !== undefined) {
          finish(
            new TerraformError(
              `${label} in ${dir} ${stopReason.text}; the process was stopped${stderr}`,
              stopReason.reason,
            ),
          );
        } else if (code !== 0) {
          finish(
            new TerraformError(
              `${label} in ${dir} failed (${
                sig ? `signal ${sig}` : `exit code ${code}`
              })${stderr}`,
            ),
          );
        } else {
          finish();
        }
      });
    });
  });
}

const held = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` once no other `withLock` call of this process holds `key` (one backend instance: two
 * tasks for the same service never run Terraform at the same time; across replicas the state
 * backend's own lock applies). `onWait` is called when it has to wait.
 */
export async function withLock<T>(
  key: string,
  onWait: () => void,
  fn: () => Promise<T>,
): Promise<T> {
  for (let current = held.get(key); current; current = held.get(key)) {
    onWait();
    await current.catch(() => undefined);
  }
  const running = fn();
  held.set(key, running);
  try {
    return await running;
  } finally {
    if (held.get(key) === running) {
      held.delete(key);
    }
  }
}
