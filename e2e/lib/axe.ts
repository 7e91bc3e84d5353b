// The accessibility scan of the journeys: axe-core on the whole page, through Playwright.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

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

/**
 * Waits for the finite animations inside `scope` to end (a dialog fading in, a section expanding):
 * axe measures colours as painted, and a half-faded element has too little contrast. Spinners and
 * progress bars, which animate for ever, are not waited for.
 */
export async function settled(scope: Locator) {
  // A dialog fades in with its backdrop, on the modal root around it (role=presentation).
  await scope.evaluate(el =>
    Promise.all(
      (el.closest('[role="presentation"]') ?? el)
        .getAnimations({ subtree: true })
        .filter(a => a.effect?.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => undefined)),
    ),
  );
}
