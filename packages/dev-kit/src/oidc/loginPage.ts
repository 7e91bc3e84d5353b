/** The local identity provider's login form: user name, password, and what went wrong. */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

export interface LoginPageOptions {
  uid: string;
  /** The application asking (the OIDC client id). */
  clientId?: string;
  /** Kept in the form after a failed attempt. */
  username?: string;
  error?: string;
}

export function loginPage({
  uid,
  clientId,
  username = '',
  error,
}: LoginPageOptions): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in – Acme ID</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p.sub { color: #555; margin: 0 0 1.5rem; font-size: .9rem; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; }
  p.error { color: #b91c1c; font-weight: 600; }
  footer { margin-top: 1rem; font-size: .8rem; color: #555; }
</style>
</head>
<body>
<main>
  <h1>Acme ID</h1>
  <p class="sub">The local identity provider (OpenID Connect)${
    clientId ? `: sign in to <strong>${escapeHtml(clientId)}</strong>` : ''
  }.</p>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="${action}/login" autocomplete="off">
    <label for="username">User name</label>
    <input id="username" name="username" value="${escapeHtml(
      username,
    )}" required autofocus>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required>
    <button type="submit">Sign in</button>
  </form>
  <footer><a href="${action}/abort">Cancel</a></footer>
</main>
</body>
</html>
`;
}
