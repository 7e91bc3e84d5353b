// Writes "passed failed skipped" to $E2E_COUNTS_FILE at the end, and the skipped journeys' titles to
// $E2E_COUNTS_FILE.skipped (scripts/e2e.sh reports them): a journey passes when its outcome is
// expected; one that failed fails; one skipped on purpose (test.skip) is skipped, but when the run
// ended early (interrupted, timed out) a journey that never ran fails.
import { writeFileSync } from 'node:fs';
import type { FullResult, Reporter, Suite } from '@playwright/test/reporter';

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
    writeFileSync(`${file}.skipped`, skipped.map(t => `${t.titlePath().filter(Boolean).join(' › ')}\n`).join(''));
  }

  printsToStdio() {
    return false;
  }
}
