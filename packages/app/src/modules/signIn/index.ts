import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';

/**
 * Replaces the app's default sign-in page (`sign-in-page:app`) with one that offers the
 * providers the backend has (OIDC, GitHub, the local guest, from the configuration) and says
 * who the guest becomes; adds the OIDC auth API.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () =>
          (await import('./PortalSignInPage')).PortalSignInPage,
      },
    }),
    oidcAuthApi,
  ],
});
