// Starts a private ECS emulator (emulator/server.py) for a Node test or script.
//   import { startEmulator } from '<repo>/emulator/harness.mjs';
//   const emu = await startEmulator({ rolloutSeconds: 1 });
//   ... AWS SDK clients with { endpoint: emu.endpoint } ...
//   await emu.reset();   // POST /moto-api/reset
//   await emu.stop();
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const SERVER = path.join(import.meta.dirname, 'server.py');

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns the emulator on a free loopback port and waits until it answers.
 * @param {{ rolloutSeconds?: number, env?: Record<string, string>, python?: string, timeoutMs?: number }} options
 */
export async function startEmulator(options = {}) {
  const { rolloutSeconds, env = {}, python = process.env.EMULATOR_PYTHON ?? 'python3', timeoutMs = 30_000 } = options;
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const childEnv = { ...process.env, ...env };
  if (rolloutSeconds !== undefined) childEnv.ECS_EMULATOR_ROLLOUT_SECONDS = String(rolloutSeconds);
  const child = spawn(python, [SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited;
  child.once('error', e => {
    exited = `the emulator could not start (${python}: ${e.message})`;
  });
  child.once('exit', code => {
    exited ??= `the emulator exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the emulator did not answer on ${endpoint} within ${timeoutMs / 1000} s`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`reset of ${endpoint} answered ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}
