import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { signInProviders } from './providers';

/** The name part of an entity ref: `user:default/alice` → `alice`. */
function nameOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * Who the guest becomes, from the guest provider's configuration
 * (`auth.providers.guest.userEntityRef` and `ownershipEntityRefs`), and how to become someone
 * else.
 */
export function GuestIdentityNote() {
  const config = useApi(configApiRef);
  const user = config.getOptionalString('auth.providers.guest.userEntityRef');
  const teams = (
    config.getOptionalStringArray('auth.providers.guest.ownershipEntityRefs') ??
    []
  )
    .filter(ref => ref.startsWith('group:'))
    .map(nameOf);
  return (
    <Box maxWidth="48rem">
      <Typography variant="h4" component="h2" gutterBottom>
        Sign in
      </Typography>
      <Typography variant="body1" paragraph>
        {user ? (
          <>
            This portal runs locally: entering as a guest signs you in as{' '}
            <strong>{nameOf(user)}</strong> ({user})
            {teams.length > 0 && <>, a member of {teams.join(', ')}</>}.
            Promotions, rollbacks and approvals are made as {nameOf(user)}, with{' '}
            {nameOf(user)}’s permissions.
          </>
        ) : (
          <>
            This portal runs locally: entering as a guest signs you in as the
            guest user the backend is configured with.
          </>
        )}
      </Typography>
      <Typography variant="body2">
        To sign in as someone else, set <code>auth.providers.guest</code> (
        <code>userEntityRef</code> and <code>ownershipEntityRefs</code>) in{' '}
        <code>app-config.local.yaml</code> and restart the portal; the README
        (“Signing in locally”) lists the demo users and their teams.
      </Typography>
    </Box>
  );
}

/** The sign-in page: the configured providers; with the guest, who the guest becomes. */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const providers = signInProviders(config);
  return (
    <SignInPage
      {...props}
      title="Sign in"
      providers={providers}
      titleComponent={
        providers.includes('guest') ? <GuestIdentityNote /> : undefined
      }
    />
  );
}
