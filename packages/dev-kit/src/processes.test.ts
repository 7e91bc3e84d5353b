import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand, startProcess } from './processes.ts';

/** Running, not a zombie waiting for its (re)parent to reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('startProcess', () => {
  it('logs to a file, keeps a pid file while running, and stop() ends the whole group', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-kit-proc-'));
    const pidFile = path.join(dir, 'p.pid');
    const logFile = path.join(dir, 'p.log');
    // The shell's child ignores SIGTERM: only the group's SIGKILL ends it.
    const proc = startProcess(
      'sh',
      ['-c', 'echo started; sh -c \'trap "" TERM; echo $$; sleep 30\' & wait'],
      { pidFile, logFile },
    );
    while (proc.tail().split('\n').length < 3) {
      await new Promise(r => setTimeout(r, 20));
    }
    const grandchild = Number(proc.tail().split('\n')[1]);
    expect(readFileSync(pidFile, 'utf8')).toBe(`${proc.pid}\n`);
    expect(alive(grandchild)).toBe(true);

    await proc.stop(200);
    expect(proc.running()).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    expect(readFileSync(logFile, 'utf8')).toMatch(/^started\n\d+\n$/);
  });

  it('runCommand throws with the exit code and the output', async () => {
    await expect(
      runCommand('sh', ['-c', 'echo no such thing >&2; exit 3']),
    ).rejects.toThrow(/exited with 3\nno such thing/);
  });
});
