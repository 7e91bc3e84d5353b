/*
 * The runner's process handling, with a stand-in for terraform (a shell script) so that output,
 * exit codes, time limits and cancellation are exact; the provision action's tests run the real
 * terraform.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { runTerraform, TerraformError, withLock } from './terraformRunner';

const root = createMockDirectory();

/** Writes an executable script standing in for terraform. */
function fakeTerraform(body: string): string {
  const file = root.resolve(`fake-${Math.random().toString(36).slice(2)}.sh`);
  fs.writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Running (a killed process may stay a zombie until its new parent reaps it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids still running after a short while (signals take a moment to land). */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 20 && pids.some(alive); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return pids.filter(alive);
}

async function readPids(file: string): Promise<number[]> {
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

/** A script that ignores SIGINT (as a busy terraform may) and has a child of its own. */
function stubbornTerraform(pidFile: string) {
  return fakeTerraform(
    `trap '' INT\nsleep 300 &\necho "$$ $!" > ${pidFile}\necho started\nwait`,
  );
}

describe('runTerraform', () => {
  beforeEach(() => root.clear());

  it('passes -chdir and the arguments, streams each line and resolves on exit 0', async () => {
    const command = fakeTerraform(
      'echo "args: $*"\necho "automation=$TF_IN_AUTOMATION input=$TF_INPUT"\necho\necho "warn" >&2',
    );
    const lines: string[] = [];
    await runTerraform({
      command,
      dir: '/some/root',
      args: ['apply', '-auto-approve'],
      timeoutMs: 10_000,
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        'stdout: args: -chdir=/some/root apply -auto-approve',
        'stdout: automation=1 input=0',
        'stderr: warn',
      ]),
    );
    expect(lines).toHaveLength(3); // the empty line is dropped
  });

  it("never hands Terraform the caller's shared plugin cache (not safe for concurrent use)", async () => {
    const command = fakeTerraform(
      'echo "cache=${TF_PLUGIN_CACHE_DIR-unset} other=$OTHER"',
    );
    const lines: string[] = [];
    await runTerraform({
      command,
      dir: '/r',
      args: ['init'],
      env: {
        PATH: process.env.PATH,
        TF_PLUGIN_CACHE_DIR: '/shared/cache',
        OTHER: 'kept',
      },
      timeoutMs: 10_000,
      onLine: line => lines.push(line),
    });
    expect(lines).toEqual(['cache=unset other=kept']);
  });

  it('rejects with the last stderr lines and the exit code, without a stack trace', async () => {
    const command = fakeTerraform(
      'for i in $(seq 1 30); do echo "line $i" >&2; done\necho "Error: No valid credential sources found" >&2\nexit 1',
    );
    const error = await runTerraform({
      command,
      dir: '/r',
      args: ['init'],
      timeoutMs: 10_000,
      onLine: () => {},
    }).catch(e => e);
    expect(error).toBeInstanceOf(TerraformError);
    expect(error.message).toMatch(
      /^terraform init in \/r failed \(exit code 1\):\n/,
    );
    expect(error.message).toContain('Error: No valid credential sources found');
    expect(error.message).not.toContain('line 11\n');
    expect(error.message.split('\n')).toHaveLength(21);
    expect(error.stack).toBe(`TerraformError: ${error.message}`);
  });

  it('names a command that cannot start', async () => {
    await expect(
      runTerraform({
        command: root.resolve('missing-terraform'),
        dir: '/r',
        args: ['init'],
        timeoutMs: 1000,
        onLine: () => {},
      }),
    ).rejects.toThrow(
      /terraform init could not start .*missing-terraform.*ENOENT/,
    );
  });

  it('stops the whole process group at the time limit, SIGKILL after the grace time', async () => {
    const pidFile = root.resolve('pids');
    const started = Date.now();
    const run = runTerraform({
      command: stubbornTerraform(pidFile),
      dir: '/r',
      args: ['apply'],
      timeoutMs: 1500,
      killGraceMs: 500,
      onLine: () => {},
    });
    const pids = await readPids(pidFile);
    expect(pids.every(alive)).toBe(true);
    await expect(run).rejects.toMatchObject({
      reason: 'timeout',
      message: expect.stringContaining(
        'terraform apply in /r reached its time limit; the process was stopped',
      ),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await survivors(pids)).toEqual([]);
  });

  it('stops the process when the task is cancelled, and does not start after it', async () => {
    const pidFile = root.resolve('pids');
    const controller = new AbortController();
    const run = runTerraform({
      command: stubbornTerraform(pidFile),
      dir: '/r',
      args: ['apply'],
      timeoutMs: 60_000,
      killGraceMs: 300,
      signal: controller.signal,
      onLine: () => {},
    });
    const pids = await readPids(pidFile);
    controller.abort();
    await expect(run).rejects.toMatchObject({
      reason: 'cancelled',
      message: expect.stringContaining(
        'was cancelled; the process was stopped',
      ),
    });
    expect(await survivors(pids)).toEqual([]);

    await expect(
      runTerraform({
        command: stubbornTerraform(root.resolve('never')),
        dir: '/r',
        args: ['init'],
        timeoutMs: 1000,
        signal: controller.signal,
        onLine: () => {},
      }),
    ).rejects.toThrow('terraform init was not started: the task was cancelled');
    expect(fs.existsSync(path.join(root.path, 'never'))).toBe(false);
  });
});

describe('withLock', () => {
  it('runs calls for one key one after the other, other keys at once', async () => {
    const events: string[] = [];
    const waits: string[] = [];
    const task = (key: string, id: string, ms: number) =>
      withLock(
        key,
        () => waits.push(id),
        async () => {
          events.push(`start ${id}`);
          await new Promise(r => setTimeout(r, ms));
          events.push(`end ${id}`);
          if (id === 'a1') throw new Error('a1 failed');
          return id;
        },
      );
    const results = await Promise.allSettled([
      task('a', 'a1', 100),
      task('a', 'a2', 10),
      task('b', 'b1', 10),
    ]);
    expect(results.map(r => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(events.indexOf('start a2')).toBeGreaterThan(
      events.indexOf('end a1'),
    );
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
    expect(waits).toEqual(['a2']);
  });
});
