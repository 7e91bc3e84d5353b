// Writes "passed failed skipped" to $E2E_COUNTS_FILE at the end, the skipped journeys' titles to
// $E2E_COUNTS_FILE.skipped and the failed ones' to $E2E_COUNTS_FILE.failures with their first error
// line (scripts/e2e.sh reports them): a journey passes when its outcome is
// expected; one that failed fails; one skipped on purpose (test.skip) is skipped, but when the run
// ended early (interrupted, timed out) a journey that never ran fails.
import { writeFileSync } from 'node:fs';
import type { FullResult, Reporter, Suite, TestCase } from '@playwright/test/reporter';

/** The first line of an error without terminal colours, at most 200 characters. */
function firstLine(message = 'did not run') {
  // eslint-disable-next-line no-control-regex
  const line = message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find(l => l.trim()) ?? '';
  return line.trim().slice(0, 200);
}

export default class CountsReporter implements Reporter {
  private suite?: Suite;

  onBegin(_config: unknown, suite: Suite) {
    this.suite = suite;
  }

  onEnd(result: FullResult) {
    const tests = this.suite?.allTests() ?? [];
    const file = process.env.E2E_COUNTS_FILE;
    // No tests: the run never began (scripts/e2e.sh counts every journey as failed).
    if (!file || tests.length === 0) return;
    const passed = tests.filter(t => ['expected', 'flaky'].includes(t.outcome())).length;
    const skipped =
      result.status === 'passed' || result.status === 'failed'
        ? tests.filter(t => t.outcome() === 'skipped')
        : [];
    writeFileSync(file, `${passed} ${tests.length - passed - skipped.length} ${skipped.length}\n`);
    const title = (t: TestCase) => t.titlePath().filter(Boolean).join(' › ');
    writeFileSync(`${file}.skipped`, skipped.map(t => `${title(t)}\n`).join(''));
    const failed = tests.filter(t => !['expected', 'flaky', 'skipped'].includes(t.outcome()));
    writeFileSync(
      `${file}.failures`,
      failed.map(t => `${title(t)}: ${firstLine(t.results.at(-1)?.error?.message)}\n`).join(''),
    );
  }

  printsToStdio() {
    return false;
  }
}
