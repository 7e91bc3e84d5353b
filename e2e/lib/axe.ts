// The accessibility scan of the journeys: axe-core on the whole page, through Playwright.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Scans the page as it is now and fails on any serious or critical violation, naming each rule
 * and the first elements it flagged. Returns every violation (minor and moderate ones included).
 */
export async function expectNoSeriousA11yIssues(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}; ${v.nodes
          .slice(0, 3)
          .map(n => n.target.join(' '))
          .join(', ')}`,
    );
  expect(serious, `${what}: serious accessibility issues`).toEqual([]);
  return violations;
}
