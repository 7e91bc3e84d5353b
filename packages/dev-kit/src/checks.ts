import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes "passed failed" to $RESULTS_DIR/<stage>.counts (scripts/test.sh sums them up). */
function writeCounts(stage: string, passed: number, failed: number) {
  const dir = process.env.RESULTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${stage}.counts`), `${passed} ${failed}\n`);
}

export interface CheckRunner {
  /**
   * Runs one named check: it passes unless `fn` throws. A string `fn` returns is printed
   * under the check's line.
   */
  check(name: string, fn: () => unknown): Promise<boolean>;
  /** Counts a failure outside any check (a setup step that threw). */
  fail(name: string, error: unknown): void;
  /** Prints "<stage>: N passed, N failed", writes the counts; true when nothing failed. */
  finish(): boolean;
}

const seconds = (since: number) =>
  `${((Date.now() - since) / 1000).toFixed(1)} s`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Named checks for a script stage (smoke, load-faults, ...). */
export function checkRunner(stage: string): CheckRunner {
  let passed = 0;
  let failed = 0;
  return {
    async check(name, fn) {
      const started = Date.now();
      try {
        const note = await fn();
        passed++;
        console.log(`  ok    ${name} (${seconds(started)})`);
        if (typeof note === 'string' && note) console.log(`        ${note}`);
        return true;
      } catch (e) {
        failed++;
        console.log(`  FAIL  ${name} (${seconds(started)}): ${message(e)}`);
        return false;
      }
    },
    fail(name, error) {
      failed++;
      console.log(`  FAIL  ${name}: ${message(error)}`);
    },
    finish() {
      console.log(`${stage}: ${passed} passed, ${failed} failed`);
      writeCounts(stage, passed, failed);
      return failed === 0;
    },
  };
}
