import { ConfigReader } from '@backstage/core-app-api';
import { signInProviders } from './providers';

const ids = (auth: object) =>
  signInProviders(new ConfigReader({ auth })).map(p =>
    typeof p === 'string' ? p : p.id,
  );

describe('signInProviders', () => {
  it('offers the guest alone on the local default', () => {
    expect(
      ids({ providers: { guest: { userEntityRef: 'user:default/alice' } } }),
    ).toEqual(['guest']);
  });

  it('offers exactly what production configures, never the guest it turned off', () => {
    // What the app receives: the provider's presence, none of its settings.
    expect(ids({ environment: 'production', providers: { oidc: {} } })).toEqual(
      ['oidc-auth-provider'],
    );
    expect(
      ids({ environment: 'production', providers: { oidc: {}, github: {} } }),
    ).toEqual(['oidc-auth-provider', 'github-auth-provider']);
    expect(ids({ providers: { github: {} } })).toEqual([
      'github-auth-provider',
    ]);
  });

  it('offers nothing when nothing is configured', () => {
    expect(ids({})).toEqual([]);
  });
});
