import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  describeDeployed,
  eventually,
  freePort,
  startBackend,
  startOidcProvider,
  type Backend,
  type OidcProvider,
} from '@internal/dev-kit';
import {
  BACKEND_AWS_ENDPOINT,
  backstageToken,
  ENV,
  NOT_ALLOWED,
  test,
  tokenSubject,
  type Shot,
} from '../lib/portal';

// The portal's own backend with OpenID Connect sign-in instead of the guest, against the local
// OpenID provider (oidc-provider with the demo's people and a login form that checks passwords).
// The people come from the demo catalog; the provider asks for a password at every sign-in
// (prompt: login), so that people can take turns on one browser.
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
let provider: OidcProvider;
let backend: Backend;

test.beforeAll(async () => {
  const port = await freePort();
  provider = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/api/auth/oidc/handler/frame`],
    logFile: path.join(ARTIFACTS, 'oidc-provider-j10.log'),
  });
  backend = await startBackend({
    name: 'j10',
    port,
    dir: ARTIFACTS,
    awsEndpoint: BACKEND_AWS_ENDPOINT,
    config: {
      app: { packageName: process.env.E2E_APP_DIR },
      auth: {
        session: { secret: 'j10 session secret' },
        providers: {
          guest: null,
          oidc: { development: provider.portalConfig('login') },
        },
      },
    },
  });
});

test.afterAll(async () => {
  await backend?.stop();
  await provider?.stop();
});

/**
 * Clicks the sign-in page's single sign-on button and signs in at the provider's own login form
 * in the popup; a wrong password first, when given, which the form refuses.
 */
async function signInAt(
  page: Page,
  shot: Shot,
  who: string,
  wrongPasswordFirst = false,
) {
  const popupOpens = page.waitForEvent('popup');
  await page.getByRole('button', { name: /sign in/i }).click();
  const popup = await popupOpens;
  await popup.getByLabel('User name').fill(who);
  if (wrongPasswordFirst) {
    await popup.getByLabel('Password').fill('not-the-password');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await expect(popup.getByRole('alert')).toHaveText(
      'Wrong user name or password.',
    );
    await shot(`provider-refuses-a-wrong-password`, {
      page: popup,
      fullPage: false,
    });
  }
  await popup.getByLabel('Password').fill(`${who}-password`);
  await shot(`provider-login-form-${who}`, { page: popup, fullPage: false });
  const closes = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await closes;
}

async function promoteButton(page: Page, service: string) {
  await page.goto(`/catalog/default/component/${service}`);
  const button = page.getByRole('button', { name: 'Promote staging to prod' });
  await button.waitFor();
  return button;
}

/** The entity page's Promote button, disabled with the reason: `who` may not promote the service. */
async function expectNotAllowed(page: Page, service: string, who: string) {
  const button = await promoteButton(page, service);
  await page.getByText(NOT_ALLOWED).waitFor();
  expect(
    await button.isDisabled(),
    `Promote on ${service} is disabled for ${who}`,
  ).toBe(true);
  return button;
}

/** The app is signed in, as `who` (the subject of the token it uses). */
async function expectSignedInAs(page: Page, who: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
  expect(
    tokenSubject(await backstageToken(page, 'oidc')),
    `signed in as ${who}`,
  ).toBe(`user:default/${who}`);
}

test('J10: carol signs in through the OpenID provider’s form and is team-search; sign-out, then alice', async ({
  browser,
  ecs,
  shot,
}) => {
  test.setTimeout(6 * 60_000);
  const staging = await describeDeployed(
    ecs.staging,
    ENV.staging.cluster,
    'search-indexer',
  );
  const prod = await describeDeployed(ecs.prod, ENV.prod.cluster, 'search-indexer');
  expect(
    prod.containers[0].image,
    'precondition: search-indexer’s prod lags staging',
  ).not.toBe(staging.containers[0].image);

  const context = await browser.newContext({
    baseURL: backend.baseUrl,
    viewport: { width: 1440, height: 1000 },
  });
  const page = await context.newPage();
  try {
    // The sign-in page offers what the backend has: single sign-on, no guest.
    await page.goto('/');
    await page.getByText('Single sign-on').waitFor();
    expect(
      await page.getByText('Enter as a Guest User').count(),
      'no guest',
    ).toBe(0);
    expect(
      await page.getByRole('button', { name: /sign in|enter/i }).count(),
      'one way in',
    ).toBe(1);
    await shot('sign-in-page-single-sign-on', { page });

    // erin exists at the provider but not in the catalog: refused, with the reason.
    await signInAt(page, shot, 'erin');
    await page
      .getByText(
        /Sign-in refused: no user in the catalog has the email erin@example\.com or the user name erin/,
      )
      .waitFor();
    await shot('erin-refused', { page });

    // carol: a wrong password first, then hers.
    await page.reload();
    await signInAt(page, shot, 'carol', true);
    await expectSignedInAs(page, 'carol');

    // The portal knows her as team-search: not allowed on payments-api, allowed on search-indexer.
    const payments = await expectNotAllowed(page, 'payments-api', 'carol');
    await payments.scrollIntoViewIfNeeded();
    await shot('carol-payments-api-not-allowed', { page });
    const indexer = await promoteButton(page, 'search-indexer');
    await eventually(
      'carol may promote search-indexer',
      () => indexer.isEnabled(),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    expect(await page.getByText(NOT_ALLOWED).count()).toBe(0);
    await indexer.scrollIntoViewIfNeeded();
    await shot('carol-search-indexer-promote-enabled', { page });

    // Sign out (Settings → ⋮ → Sign out): back on the sign-in page, the session gone.
    await page.goto('/settings');
    await page.getByRole('button', { name: 'more' }).click();
    await page.getByRole('menuitem', { name: /sign out/i }).click();
    await page.getByText('Single sign-on').waitFor();
    const refresh = await page.evaluate(
      async () =>
        (
          await fetch('/api/auth/oidc/refresh?env=development', {
            headers: { 'x-requested-with': 'XMLHttpRequest' },
          })
        ).status,
    );
    expect(refresh, 'no session after the sign-out').toBe(401);
    await shot('signed-out', { page });

    // alice, on the same browser: team-payments.
    await signInAt(page, shot, 'alice');
    await expectSignedInAs(page, 'alice');
    await expectNotAllowed(page, 'search-indexer', 'alice');
    await promoteButton(page, 'payments-api');
    await eventually(
      'the payments-api card has loaded for alice',
      async () => (await page.getByText('Task definition').count()) > 0,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(
      await page.getByText(NOT_ALLOWED).count(),
      'alice may promote payments-api',
    ).toBe(0);
    await shot('alice-payments-api', { page });
  } finally {
    await context.close();
  }
});
