import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  freePort,
  signInWithOidc,
  SignInRefused,
  startOidcProvider,
  type OidcProvider,
} from '@internal/dev-kit';
import { authModuleOidcSignIn } from '.';

/** The catalog: alice as the directory has her; bob under an email the provider does not send. */
function user(name: string, email: string, group: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email }, memberOf: [group] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
  };
}

// The real OIDC code flow: the local OpenID provider (oidc-provider, with a login form that
// checks passwords) and a backend with the auth plugin and the portal's OIDC module (the
// catalog in memory), on a loopback port chosen first so that the provider knows the portal's
// callback.
describe('OIDC sign-in as a User of the catalog', () => {
  let provider: OidcProvider;
  let backendUrl: string;
  const backend = createBackend();

  beforeAll(async () => {
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      redirectUris: [`${backendUrl}/api/auth/oidc/handler/frame`],
    });
    for (const feature of [
      mockServices.rootLogger.factory(),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: backendUrl },
          backend: {
            baseUrl: backendUrl,
            listen: { host: '127.0.0.1', port },
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          auth: {
            session: { secret: 'a test session secret' },
            providers: { oidc: { development: provider.portalConfig() } },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          user('alice', 'alice@example.com', 'team-payments'),
          user('bob', 'bob@old-domain.example.com', 'team-payments'),
        ],
      }),
      authPlugin,
      authModuleOidcSignIn,
    ]) {
      backend.add(feature);
    }
    await backend.start();
  }, 60_000);

  afterAll(async () => {
    await backend.stop();
    await provider?.stop();
  });

  const signIn = (username: string, password = `${username}-password`) =>
    signInWithOidc({ backendUrl, username, password });

  it('signs in the user whose email the provider verified, with the groups the catalog gives', async () => {
    const alice = await signIn('alice');
    expect(alice.userEntityRef).toBe('user:default/alice');
    expect(alice.ownershipEntityRefs).toEqual([
      'user:default/alice',
      'group:default/team-payments',
    ]);
    const claims = JSON.parse(
      Buffer.from(alice.token.split('.')[1], 'base64url').toString(),
    );
    expect(claims.sub).toBe('user:default/alice');
  });

  it('falls back to the user name when no user has the email', async () => {
    const bob = await signIn('bob');
    expect(bob.userEntityRef).toBe('user:default/bob');
  });

  it('refuses a person the catalog does not know, naming what the provider sent', async () => {
    await expect(signIn('erin')).rejects.toThrow(
      new SignInRefused(
        "NotAllowedError: Sign-in refused: no user in the catalog has the email erin@example.com or the user name erin. People sign in as a User of the catalog (from the organisation's directory); ask the platform team to add you.",
      ),
    );
  });

  it('never reaches the portal with a wrong password: the provider’s form refuses it', async () => {
    await expect(signIn('alice', 'not-her-password')).rejects.toThrow(
      'the identity provider refused alice: Wrong user name or password.',
    );
  });

  it('keeps the session: a refresh issues a new token for the same user, sign-out ends it', async () => {
    const alice = await signIn('alice');
    const refreshed = await alice.refresh();
    expect(
      JSON.parse(Buffer.from(refreshed.split('.')[1], 'base64url').toString())
        .sub,
    ).toBe('user:default/alice');
    await alice.signOut();
    await expect(alice.refresh()).rejects.toThrow(/refresh answered 401/);
  });
});
