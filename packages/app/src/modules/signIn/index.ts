import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/** Replaces the app's default sign-in page (`sign-in-page:app`) with one that says who you become. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => (await import('./GuestSignInPage')).GuestSignInPage,
      },
    }),
  ],
});
