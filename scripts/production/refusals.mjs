// The production test's first checks: the bundle started without a setting production needs
// stops at once, with one line naming the key, and no stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, repoRoot } from '@internal/dev-kit';

const root = repoRoot();

/** Starts the bundle without some variables: it must stop at once, naming the key on one line. */
async function refusesWithout(bundleDir, env, variables, key) {
  const port = await freePort();
  const trimmed = {
    ...process.env,
    ...env,
    APP_BASE_URL: `http://127.0.0.1:${port}`,
  };
  trimmed.APP_CONFIG_backend_listen = JSON.stringify({
    host: '127.0.0.1',
    port,
  });
  for (const v of variables) delete trimmed[v];
  const args = ['app-config.yaml', 'app-config.production.yaml'].flatMap(f => [
    '--config',
    path.join(root, f),
  ]);
  const run = spawnSync(
    process.execPath,
    [path.join(bundleDir, 'packages/backend'), ...args],
    {
      cwd: path.join(bundleDir, 'packages/backend'),
      env: trimmed,
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  const lines = output
    .split('\n')
    .filter(l => l.startsWith('error: production settings:'));
  assert.notEqual(run.status, 0, `it started without ${variables.join(', ')}`);
  assert.equal(
    lines.length,
    1,
    `expected one line, got:\n${lines.join('\n') || output.slice(-800)}`,
  );
  assert.ok(
    lines[0].includes(key),
    `the line does not name ${key}: ${lines[0]}`,
  );
  assert.ok(
    !/\n\s+at /.test(output),
    `a stack trace in:\n${output.slice(-800)}`,
  );
  return lines[0];
}

/** One check per setting: what goes missing, the variables that carry it, the key named. */
export async function refusalChecks(checks, { bundleDir, env }) {
  for (const [what, variables, key] of [
    [
      'environments',
      ['APP_CONFIG_ecsDeploy_environments'],
      'ecsDeploy.environments',
    ],
    ['accounts', ['APP_CONFIG_aws_accounts'], 'aws.accounts'],
    [
      'sign-in provider',
      ['OIDC_METADATA_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'],
      'auth.providers',
    ],
    [
      'OIDC client secret',
      ['OIDC_CLIENT_SECRET'],
      'auth.providers.oidc.production.clientSecret',
    ],
    ['session secret', ['AUTH_SESSION_SECRET'], 'auth.session.secret'],
    ['database', ['POSTGRES_HOST'], 'backend.database.connection.host'],
    ['cache', ['REDIS_URL'], 'backend.cache.connection'],
    ['portal URL', ['APP_BASE_URL'], 'app.baseUrl'],
  ]) {
    await checks.check(
      `refuses to start without the ${what}, naming ${key} on one line`,
      () => refusesWithout(bundleDir, env, variables, key),
    );
  }
}
