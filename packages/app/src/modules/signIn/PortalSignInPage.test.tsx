import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { GuestIdentityNote } from './PortalSignInPage';
import { signInModule } from '.';

function render(guest?: object) {
  renderInTestApp(<GuestIdentityNote />, {
    config: guest ? { auth: { providers: { guest } } } : {},
  });
}

// The page itself (the core guest provider's card under this note) is seen in the browser
// journeys: the core sign-in page does not render in jsdom's test app.
describe('the local sign-in page', () => {
  it('replaces the default sign-in page of the app and adds the OIDC auth API', () => {
    expect(signInModule.pluginId).toBe('app');
    expect(
      (
        signInModule as unknown as { extensions: Array<{ id: string }> }
      ).extensions.map(e => e.id),
    ).toEqual(['sign-in-page:app', 'api:app/oidc-auth']);
  });

  it('names the user the guest becomes, with their teams, from the configuration', async () => {
    render({
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/team-payments',
      ],
    });
    expect(
      await screen.findByText(/entering as a guest signs you in as/),
    ).toHaveTextContent(
      'This portal runs locally: entering as a guest signs you in as alice (user:default/alice), a member of team-payments. Promotions, rollbacks and approvals are made as alice, with alice’s permissions.',
    );
  });

  it('says how to become someone else', async () => {
    render({ userEntityRef: 'user:default/carol' });
    expect(await screen.findByText(/signs you in as/)).toHaveTextContent(
      /as carol \(user:default\/carol\)\. Promotions/,
    );
    expect(
      screen.getByText(/To sign in as someone else, set/),
    ).toHaveTextContent(
      'To sign in as someone else, set auth.providers.guest (userEntityRef and ownershipEntityRefs) in app-config.local.yaml and restart the portal; the README (“Signing in locally”) lists the demo users and their teams.',
    );
  });

  it('does not guess a name when the configuration does not give one', async () => {
    render();
    expect(
      await screen.findByText(
        /signs you in as the guest user the backend is configured with/,
      ),
    ).toBeInTheDocument();
  });
});
