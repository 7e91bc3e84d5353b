// Chromium from Debian, driven by playwright-core (never a downloaded browser). Each session is a
// new browser process with a fresh profile (playwright's own temporary user-data-dir under
// os.tmpdir(), which scripts/e2e.sh points into its work directory); its pid goes to
// $E2E_PIDS_DIR so that the script can end it should this process be killed.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export async function openBrowser() {
  // launchServer (not launch) exposes the browser's process, for the pid file.
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    // The runner handles signals itself (closes the browser, stops the backend).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const pid = server.process().pid;
  const pidFile =
    process.env.E2E_PIDS_DIR && pid
      ? path.join(process.env.E2E_PIDS_DIR, `chromium-${pid}.pid`)
      : undefined;
  if (pidFile) writeFileSync(pidFile, `${pid}\n`);
  const browser = await chromium.connect(server.wsEndpoint());
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', m => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', e => consoleErrors.push(`pageerror: ${e.message}`));
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

/** Signs in through the app's guest sign-in page (the backend guest provider). */
export async function signIn(page, baseUrl) {
  await page.goto(baseUrl + '/');
  await page.getByRole('button', { name: /enter/i }).click();
  await page.getByText('Enter as a Guest User').waitFor({ state: 'detached' });
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
}

/** The Backstage token the signed-in app uses, read from its own identity API call. */
export async function backstageToken(page, baseUrl) {
  return page.evaluate(async url => {
    const res = await fetch(`${url}/api/auth/guest/refresh`, {
      credentials: 'include',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body = await res.json();
    return body.backstageIdentity.token;
  }, baseUrl);
}
