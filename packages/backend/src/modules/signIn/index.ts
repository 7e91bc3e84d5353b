/*
 * The production sign-in providers: OpenID Connect (Okta, Entra ID, Keycloak, Google, ...) and
 * GitHub, with the authenticators of Backstage's provider modules and one resolver: the person
 * must be a User of the catalog (catalogUserSignInResolver). A provider is live when its
 * configuration exists (auth.providers.oidc / auth.providers.github); the sign-in page offers
 * exactly those. Sign-in resolvers declared in the configuration are not available: nothing
 * can turn on a sign-in without a user in the catalog.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { githubAuthenticator } from '@backstage/plugin-auth-backend-module-github-provider';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
  type OAuthAuthenticator,
  type OAuthAuthenticatorResult,
} from '@backstage/plugin-auth-node';
import { catalogUserSignInResolver } from './catalogUserSignInResolver';

/** A provider's module: its authenticator with the catalog user resolver. */
function signInModule<TProfile>(options: {
  moduleId: string;
  providerId: string;
  authenticator: OAuthAuthenticator<unknown, TProfile>;
  usernameOf: (
    result: OAuthAuthenticatorResult<TProfile>,
  ) => string | undefined;
}) {
  return createBackendModule({
    pluginId: 'auth',
    moduleId: options.moduleId,
    register(reg) {
      reg.registerInit({
        deps: { providers: authProvidersExtensionPoint },
        async init({ providers }) {
          providers.registerProvider({
            providerId: options.providerId,
            factory: createOAuthProviderFactory({
              authenticator: options.authenticator,
              signInResolver: catalogUserSignInResolver(options.usernameOf),
            }),
          });
        },
      });
    },
  });
}

export const authModuleOidcSignIn = signInModule({
  moduleId: 'portal-oidc-sign-in',
  providerId: 'oidc',
  authenticator: oidcAuthenticator,
  usernameOf: result => result.fullProfile.userinfo.preferred_username,
});

export const authModuleGithubSignIn = signInModule({
  moduleId: 'portal-github-sign-in',
  providerId: 'github',
  authenticator: githubAuthenticator,
  usernameOf: result => result.fullProfile.username,
});
