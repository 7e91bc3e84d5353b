/*
 * Signs in to the portal through its OpenID Connect provider the way a browser does, over
 * HTTP: the portal's start URL, the provider's login form (user name and password), back to the
 * portal's callback, whose page carries the Backstage identity, or the refusal, for the app.
 * For tests and scripts that need a real signed-in person without a browser.
 */
import { CookieJar } from './cookieJar.ts';

export interface SignInOptions {
  /** The portal's backend, e.g. http://127.0.0.1:7007. */
  backendUrl: string;
  /** The app's origin the sign-in is for (default: the backend's, which serves the app). */
  appUrl?: string;
  /** auth.environment of the portal. */
  env?: string;
  username: string;
  password: string;
}

export interface PortalSession {
  /** The Backstage token the app sends as Bearer. */
  token: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  /** What the app does when its token nears its end (or on reload): a new token. */
  refresh(): Promise<string>;
  signOut(): Promise<void>;
}

/** Why the sign-in did not end in a portal session: the provider's or the portal's words. */
export class SignInRefused extends Error {}

const hops = 20;

function loginFormAction(page: string): string | undefined {
  return /<form[^>]*action="([^"]+)"/
    .exec(page)?.[1]
    ?.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)));
}

function alertText(page: string): string {
  return /role="alert">([^<]*)</.exec(page)?.[1] ?? page.slice(0, 200);
}

/** The message the portal's callback page posts to the app. */
function callbackMessage(page: string): any {
  const encoded = /decodeURIComponent\('([^']*)'\)/.exec(page)?.[1];
  if (encoded === undefined) {
    throw new Error(
      `the portal's callback page carries no message: ${page.slice(0, 300)}`,
    );
  }
  return JSON.parse(decodeURIComponent(encoded));
}

export async function signInWithOidc(
  options: SignInOptions,
): Promise<PortalSession> {
  const { backendUrl, username, password, env = 'development' } = options;
  const appUrl = options.appUrl ?? backendUrl;
  const auth = `${backendUrl}/api/auth/oidc`;
  const jar = new CookieJar();
  let url = `${auth}/start?${new URLSearchParams({
    scope: 'openid profile email',
    env,
    origin: new URL(appUrl).origin,
  })}`;
  let res = await jar.fetch(url);
  let submitted = false;
  for (let hop = 0; !url.startsWith(`${auth}/handler/frame`); hop++) {
    if (hop === hops)
      throw new Error(
        `no way back to the portal after ${hops} hops (at ${url})`,
      );
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      res = await jar.fetch(url);
      continue;
    }
    const page = await res.text();
    if (res.status >= 400 && url.startsWith(auth)) {
      throw new Error(
        `the portal answered ${res.status} at ${url}: ${page.slice(0, 300)}`,
      );
    }
    if (submitted) {
      throw new SignInRefused(
        `the identity provider refused ${username}: ${alertText(page)}`,
      );
    }
    const action = loginFormAction(page);
    if (!action)
      throw new Error(
        `no login form at ${url} (HTTP ${res.status}): ${page.slice(0, 300)}`,
      );
    url = new URL(action, url).href;
    res = await jar.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    submitted = true;
  }
  const message = callbackMessage(await res.text());
  if (message.error) {
    throw new SignInRefused(`${message.error.name}: ${message.error.message}`);
  }
  const { token, identity } = message.response.backstageIdentity;
  const xhr = { 'x-requested-with': 'XMLHttpRequest' };
  return {
    token,
    userEntityRef: identity.userEntityRef,
    ownershipEntityRefs: identity.ownershipEntityRefs,
    async refresh() {
      const answer = await jar.fetch(`${auth}/refresh?env=${env}`, {
        headers: xhr,
      });
      const body = await answer.json();
      if (!answer.ok)
        throw new Error(
          `refresh answered ${answer.status}: ${JSON.stringify(body)}`,
        );
      return body.backstageIdentity.token;
    },
    async signOut() {
      const answer = await jar.fetch(`${auth}/logout?env=${env}`, {
        method: 'POST',
        headers: xhr,
      });
      if (!answer.ok) throw new Error(`logout answered ${answer.status}`);
    },
  };
}
