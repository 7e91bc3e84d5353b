import type { IdentityProviders } from '@backstage/core-components';
import { githubAuthApiRef, type ConfigApi } from '@backstage/core-plugin-api';
import { oidcAuthApiRef } from './oidcAuthApi';

/**
 * The sign-in options the backend offers, from the configuration the app sees: a provider is
 * there when auth.providers.<id> is configured (its presence is visible to the app, its
 * settings are not; see packages/app/config.d.ts). The guest exists only where the local
 * default configures it: production sets auth.providers.guest to null.
 */
export function signInProviders(config: ConfigApi): IdentityProviders {
  const configured = (id: string) => config.has(`auth.providers.${id}`);
  const providers: IdentityProviders = [];
  if (configured('oidc')) {
    providers.push({
      id: 'oidc-auth-provider',
      title: 'Single sign-on',
      message: 'Sign in with your company account',
      apiRef: oidcAuthApiRef,
    });
  }
  if (configured('github')) {
    providers.push({
      id: 'github-auth-provider',
      title: 'GitHub',
      message: 'Sign in with your GitHub account',
      apiRef: githubAuthApiRef,
    });
  }
  if (configured('guest')) providers.push('guest');
  return providers;
}
