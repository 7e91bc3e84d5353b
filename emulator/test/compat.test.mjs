// The entry point refuses what it cannot serve safely: an unsupported or missing moto,
// and any address but loopback. Each failure is one line on stderr and a non-zero exit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulatorServer } from '@internal/dev-kit';

const python = process.env.EMULATOR_PYTHON ?? 'python3';
const SERVER = emulatorServer();
const run = (args, env = {}) =>
  spawnSync(python, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });

describe('entry point checks', () => {
  test('--check passes with the installed moto', () => {
    const out = run([SERVER, '--check']);
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stderr, '');
  });

  test('a moto outside 5.1-5.2 is named in one line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-moto-'));
    try {
      mkdirSync(path.join(dir, 'moto-4.2.0.dist-info'));
      writeFileSync(path.join(dir, 'moto-4.2.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: moto\nVersion: 4.2.0\n');
      const out = run([SERVER, '-p', '1'], { PYTHONPATH: dir });
      assert.equal(out.status, 1);
      assert.match(out.stderr, /^error: moto 4\.2\.0 is outside the versions the ECS emulator supports \(5\.1-5\.2\); install one with: pip install 'moto\[server\]>=5\.1,<5\.3'\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Python without moto is named in one line', () => {
    const out = run(['-S', SERVER, '--check']);
    assert.equal(out.status, 1);
    assert.match(out.stderr, /^error: the Python module 'moto' is not installed for \S+; install it with: .*\n$/);
  });

  test('only loopback addresses are served', () => {
    const out = run([SERVER, '-H', '0.0.0.0', '-p', '1']);
    assert.equal(out.status, 2);
    assert.equal(out.stderr, 'error: the emulator binds loopback only (127.0.0.1, localhost, ::1), not 0.0.0.0\n');
  });
});
