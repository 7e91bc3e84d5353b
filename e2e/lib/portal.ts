// What the journeys share: the `shot` and `ecs` fixtures, guest sign-in, the signed-in user's
// token and reads of the portal's API with it, the card's facts per environment, a promotion
// through the Deployments tab, and the demo's environments.
import {
  test as base,
  expect,
  type Browser,
  type Page,
} from '@playwright/test';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  TEST_REGION,
  ecsClient,
  eventually,
  portalCredentials,
  type LocalEnvironment,
} from '@internal/dev-kit';

/** Set by global-setup.ts: the emulator, for what a journey seeds and checks itself. */
export const AWS_ENDPOINT = process.env.E2E_AWS_ENDPOINT!;
/** The emulator behind the counting proxy: a journey's own backends use it (every call recorded). */
export const BACKEND_AWS_ENDPOINT = process.env.E2E_BACKEND_AWS_ENDPOINT!;
export const CAROL_URL = process.env.E2E_CAROL_URL!;
/** dave of platform, an admin (set when J12 runs). */
export const DAVE_URL = process.env.E2E_DAVE_URL!;
/** A fresh name per run: J1 publishes and registers it, J4 looks for it in the team view. */
export const NEW_SERVICE = process.env.E2E_NEW_SERVICE!;

export const ENV = {
  staging: { title: 'Staging', cluster: 'demo-staging' },
  prod: { title: 'Production', cluster: 'demo-prod' },
} as const;

export const NOT_ALLOWED =
  'You are not allowed to promote this service to Production.';

export type Shot = (
  step: string,
  options?: { fullPage?: boolean; page?: Page },
) => Promise<void>;

/** ECS clients in each environment's account (app-config.yaml's), through its portal role. */
export type AccountClients = Record<LocalEnvironment, ECSClient>;

export const test = base.extend<{ shot: Shot; ecs: AccountClients }>({
  /** Saves a numbered screenshot of a step in the test's output folder (full page unless fullPage: false: dialogs). */
  shot: async ({ page }, use, testInfo) => {
    let step = 0;
    await use(async (name, { fullPage = true, page: target = page } = {}) => {
      step += 1;
      const slug = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
      const file = testInfo.outputPath(
        `${String(step).padStart(2, '0')}-${slug}.png`,
      );
      try {
        await target.screenshot({ path: file, fullPage, timeout: 15_000 });
      } catch (e) {
        console.log(
          `(no screenshot for ${name}: ${(e as Error).message.split('\n')[0]})`,
        );
      }
    });
  },
  ecs: async ({}, use) => {
    const client = async (env: LocalEnvironment) =>
      ecsClient(
        AWS_ENDPOINT,
        TEST_REGION,
        await portalCredentials(AWS_ENDPOINT, env),
      );
    const ecs = {
      staging: await client('staging'),
      prod: await client('prod'),
    };
    await use(ecs);
    Object.values(ecs).forEach(c => c.destroy());
  },
});

/** Signs in through the app's guest sign-in page (the backend guest provider). */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: /enter/i }).click();
  await page.getByText('Enter as a Guest User').waitFor({ state: 'detached' });
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
}

/**
 * `use` with a signed-in page of another identity's backend (CAROL_URL, DAVE_URL), on the
 * entity's Deployments tab; its browser context is closed after.
 */
export async function asIdentity<T>(
  browser: Browser,
  baseURL: string,
  entity: string,
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 1000 },
  });
  try {
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`/catalog/default/component/${entity}/deployments`);
    return await use(page);
  } finally {
    await context.close();
  }
}

/**
 * The Backstage token the signed-in app uses, read from its own identity API call (the session
 * refresh of the provider it signed in with: guest, or oidc with its auth environment).
 */
export function backstageToken(
  page: Page,
  provider = 'guest',
  env = 'development',
): Promise<string> {
  return page.evaluate(
    async ([id, authEnv]) => {
      const query = id === 'guest' ? '' : `?env=${authEnv}`;
      const res = await fetch(`/api/auth/${id}/refresh${query}`, {
        credentials: 'include',
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      return (await res.json()).backstageIdentity.token;
    },
    [provider, env],
  );
}

/** The subject (user entity ref) of a Backstage token. */
export function tokenSubject(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
    .sub;
}

/** The term → definition pairs and the links of the card's section for one environment. */
export async function environmentFacts(page: Page, title: string) {
  const section = page.getByRole('region', { name: title, exact: true });
  await section.getByText('Task definition').waitFor();
  const facts = await section.evaluate(el => {
    const out: Record<string, string | undefined> = {};
    for (const dt of el.querySelectorAll('dt')) {
      out[dt.textContent!.trim()] = dt.nextElementSibling?.textContent?.trim();
    }
    return out;
  });
  const links = await section.evaluate(el =>
    [...el.querySelectorAll('a')].map(a => ({
      text: a.textContent!.trim(),
      href: a.href,
    })),
  );
  // External links carry a visually hidden ", Opens in a new window".
  for (const l of links)
    l.text = l.text.replace(/,\s*Opens in a new window$/, '');
  return { section, facts, links };
}

/** The team view's row of a service. */
export function rowOf(page: Page, service: string) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: service, exact: true }) });
}

/** GET of the portal's API for an entity (`/api/ecs-deploy/entities/component/default/<name><rest>`). */
export async function entityApi<T = any>(
  baseUrl: string,
  token: string,
  name: string,
  rest: string,
): Promise<T> {
  const url = `${baseUrl}/api/ecs-deploy/entities/component/default/${name}${rest}`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/**
 * Waits until the service's latest verification in staging is no longer running: a running one
 * blocks promotions (the dialog says so), and on a busy machine it can outlast a journey's steps.
 */
export async function stagingVerificationEnded(
  baseUrl: string,
  token: string,
  name: string,
  timeoutMs: number,
): Promise<void> {
  await eventually(
    `${name}: staging’s verification ended`,
    async () => {
      const [latest] = (
        await entityApi(
          baseUrl,
          token,
          name,
          '/verifications?environment=staging',
        )
      ).items;
      return !latest || latest.status !== 'running';
    },
    { timeoutMs, intervalMs: 1000 },
  );
}

/**
 * Promotes staging to prod from the Deployments tab (open on `page`): Promote, the dialog's
 * reason, Promote to Production, Close.
 */
export async function promoteInDeploymentsTab(
  page: Page,
  reason: string,
  shot?: Shot,
) {
  const promote = page
    .getByRole('group', { name: 'Promotion from Staging to Production' })
    .getByRole('button', { name: 'Promote staging to prod' });
  await expect(promote).toBeEnabled({ timeout: 30_000 });
  await promote.click();
  const dialog = page.getByRole('dialog', {
    name: 'Promote Staging to Production',
  });
  await dialog.getByRole('table', { name: 'Changes' }).waitFor();
  expect(
    await dialog.getByText('Cannot promote now').count(),
    'no blocker',
  ).toBe(0);
  await dialog.getByLabel('Reason (optional)').fill(reason);
  await shot?.('promote-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Promote to Production' }).click();
  await dialog
    .getByRole('button', { name: 'Close' })
    .click({ timeout: 60_000 });
  await dialog.waitFor({ state: 'detached' });
}
