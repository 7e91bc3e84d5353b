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
} from '@backstage/plugin-auth-node';
import { catalogUserSignInResolver } from './catalogUserSignInResolver';

export const authModuleOidcSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'portal-oidc-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolver: catalogUserSignInResolver(
              result => result.fullProfile.userinfo.preferred_username,
            ),
          }),
        });
      },
    });
  },
});

export const authModuleGithubSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'portal-github-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'github',
          factory: createOAuthProviderFactory({
            authenticator: githubAuthenticator,
            signInResolver: catalogUserSignInResolver(
              result => result.fullProfile.username,
            ),
          }),
        });
      },
    });
  },
});
