// The installed legacy app in Debian's Chromium (playwright-core): signed in as the guest, pages
// asserted by what a person sees.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A signed-in page of the app served at `baseUrl`; `close()` ends the browser. */
export async function openApp(baseUrl) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(baseUrl);
    // create-app's legacy sign-in page: the guest provider's card.
    await page
      .getByRole('button', { name: 'Enter' })
      .click({ timeout: 60_000 });
    await page.getByText('Home').first().waitFor({ timeout: 60_000 });
    return { page, errors, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Opens `urlPath` and waits until every text is visible; returns the page's main text. */
export async function expectVisible(
  page,
  baseUrl,
  urlPath,
  texts,
  timeout = 60_000,
) {
  await page.goto(`${baseUrl}${urlPath}`);
  for (const text of texts) {
    await page
      .getByText(text, { exact: false })
      .first()
      .waitFor({ state: 'visible', timeout });
  }
  return page.locator('main').first().innerText();
}
