import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventually, type PollOptions } from './poll.ts';

export interface ProcessOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  /** stdout and stderr go here (appended). */
  logFile?: string;
  /** Holds the pid while it runs, for a caller that must clean up after a crash of this one. */
  pidFile?: string;
}

export interface StartedProcess {
  pid: number;
  /** Resolves with the exit code (null when ended by a signal, -1 when it could not start). */
  exited: Promise<number | null>;
  running(): boolean;
  /** The last few thousand characters of its output. */
  tail(): string;
  /** SIGTERM to its process group, SIGKILL to what is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const lastLines = (text: string, n = 10) =>
  text.trim().split('\n').slice(-n).join('\n');

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/** Whether any process of the group is left (zombies waiting to be reaped count). */
function groupExists(pid: number) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a command in a process group of its own, so that stop() ends it and its children. */
export function startProcess(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): StartedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let log: ReturnType<typeof createWriteStream> | undefined;
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
  }
  const collect = (chunk: Buffer) => {
    output = (output + chunk).slice(-4000);
    // A child of the process (same pipes) may still write after the leader's exit ended the log.
    if (log && !log.writableEnded) log.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let done = false;
  const exited = new Promise<number | null>(resolve => {
    child.once('error', e => {
      output += `\n${command}: ${e.message}`;
      done = true;
      resolve(-1);
    });
    child.once('exit', code => {
      done = true;
      resolve(code);
    });
  }).then(code => {
    log?.end();
    if (options.pidFile) rmSync(options.pidFile, { force: true });
    return code;
  });
  if (options.pidFile && child.pid) {
    writeFileSync(options.pidFile, `${child.pid}\n`);
  }
  return {
    pid: child.pid ?? -1,
    exited,
    running: () => !done,
    tail: () => output,
    async stop(graceMs = 10_000) {
      const pid = child.pid;
      if (!pid || done) return;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Children that outlived the leader (the group id cannot have been reused yet), and a
      // bounded wait for them to be gone: a signal is delivered after kill() returns.
      signalGroup(pid, 'SIGKILL');
      for (let i = 0; i < 50 && groupExists(pid); i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
    },
  };
}

/** Runs a command to its end; throws with its output's tail when it fails. */
export async function runCommand(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Promise<void> {
  const started = startProcess(command, args, options);
  const code = await started.exited;
  if (code !== 0) {
    const where = options.logFile ? `; see ${options.logFile}` : '';
    throw new Error(
      `${command} ${args.join(' ')} exited with ${code}${where}\n${lastLines(
        started.tail(),
      )}`,
    );
  }
}

/**
 * Polls `ready` until it returns true. Fails at once, with the tail of the output, when the
 * process exits first; stops the process when it is not ready in time.
 */
export async function waitUntilReady(
  proc: StartedProcess,
  what: string,
  ready: () => Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  try {
    await eventually(what, async () => !proc.running() || ready(), options);
  } catch (e) {
    await proc.stop(1000);
    throw e;
  }
  if (!proc.running()) {
    throw new Error(`${what}: it exited\n${lastLines(proc.tail())}`);
  }
}
