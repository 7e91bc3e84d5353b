/*
 * Who a person who signed in at the identity provider is in the portal: the catalog user whose
 * spec.profile.email is the verified email the provider sent, else the catalog user named as
 * their user name at the provider (OIDC preferred_username, GitHub login). Anyone else is
 * refused with a message naming what the provider sent: no guest, no identity made up from the
 * provider's profile, whatever the configuration says.
 */
import { NotAllowedError } from '@backstage/errors';
import type {
  AuthResolverContext,
  BackstageSignInResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';

async function notFoundAsUndefined(
  signIn: () => Promise<BackstageSignInResult>,
): Promise<BackstageSignInResult | undefined> {
  try {
    return await signIn();
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') return undefined;
    throw error;
  }
}

function refusal(email?: string, username?: string): string {
  const sent = [
    email && `the email ${email}`,
    username && `the user name ${username}`,
  ].filter(Boolean);
  const what =
    sent.length > 0
      ? `no user in the catalog has ${sent.join(' or ')}`
      : 'the identity provider sent neither a verified email nor a user name';
  return `Sign-in refused: ${what}. People sign in as a User of the catalog (from the organisation's directory); ask the platform team to add you.`;
}

/**
 * A sign-in resolver: email first, then the user name `usernameOf` reads from the provider's
 * result.
 */
export function catalogUserSignInResolver<TResult>(
  usernameOf: (result: TResult) => string | undefined,
): SignInResolver<TResult> {
  return async ({ profile, result }, ctx: AuthResolverContext) => {
    const email = profile.email;
    const username = usernameOf(result);
    const byEmail =
      email &&
      (await notFoundAsUndefined(() =>
        ctx.signInWithCatalogUser({ filter: { 'spec.profile.email': email } }),
      ));
    if (byEmail) return byEmail;
    const byName =
      username &&
      (await notFoundAsUndefined(() =>
        ctx.signInWithCatalogUser({ entityRef: { name: username } }),
      ));
    if (byName) return byName;
    throw new NotAllowedError(refusal(email, username));
  };
}
