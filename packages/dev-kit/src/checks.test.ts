import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkRunner } from './checks.ts';

describe('checkRunner', () => {
  const env = process.env.RESULTS_DIR;
  afterEach(() => {
    process.env.RESULTS_DIR = env;
    jest.restoreAllMocks();
  });

  it('counts passed and failed checks and setup failures, prints them and writes the counts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-kit-checks-'));
    process.env.RESULTS_DIR = dir;
    const lines: string[] = [];
    jest.spyOn(console, 'log').mockImplementation(l => lines.push(l));
    const checks = checkRunner('demo');

    expect(await checks.check('passes', () => 'a note')).toBe(true);
    expect(
      await checks.check('fails', async () => {
        throw new Error('boom');
      }),
    ).toBe(false);
    checks.fail('setup', new Error('no emulator'));

    expect(checks.finish()).toBe(false);
    expect(lines[0]).toMatch(/^ {2}ok {4}passes \(\d+\.\d s\)$/);
    expect(lines[1]).toBe('        a note');
    expect(lines[2]).toMatch(/^ {2}FAIL {2}fails \(.*\): boom$/);
    expect(lines[3]).toBe('  FAIL  setup: no emulator');
    expect(lines[4]).toBe('demo: 1 passed, 2 failed');
    expect(readFileSync(path.join(dir, 'demo.counts'), 'utf8')).toBe('1 2\n');
  });
});
