/*
 * The test backend's auth service, with one difference to mockServices.auth: a plugin's request on
 * behalf of a user authenticates as that user *with the plugin as actor*, as Backstage's
 * DefaultAuthService does for its plugin tokens. The permission backend answers conditional
 * decisions (no resourceRef) only to such requests; the mock drops the actor, so without this a
 * plugin that applies conditions itself (ECS deploy on promotion targets) cannot be tested
 * against the real permission backend. Use it with Backstage's own httpAuthServiceFactory (the
 * mock httpAuth has an auth service of its own).
 */
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/** The prefix of the mock's plugin tokens (`mockCredentials.service.token()` + ':'). */
const SERVICE_TOKEN_PREFIX = `${mockCredentials.service.token()}:`;

export const pluginRequestAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      async authenticate(token, options) {
        const credentials = await auth.authenticate(token, options);
        if (
          !token.startsWith(SERVICE_TOKEN_PREFIX) ||
          !auth.isPrincipal(credentials, 'user')
        ) {
          return credentials;
        }
        // The mock's plugin token does not name the plugin that issued it.
        return mockCredentials.user(credentials.principal.userEntityRef, {
          actor: { subject: 'plugin:on-behalf-of-user' },
        }) as typeof credentials;
      },
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getPluginRequestToken: o => auth.getPluginRequestToken(o),
      getLimitedUserToken: c => auth.getLimitedUserToken(c),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
    };
  },
});
