#!/usr/bin/env node
// Live smoke test of the BUILT backend (packages/backend/dist), as CI runs it:
// readiness, the catalog, a scaffolder dry-run of templates/ecs-service through the HTTP API and
// the ECS deploy API, all with a static external-access token. Starts and stops the backend and
// its own moto_server. Ends with "smoke: N passed, N failed"; writes "N M" to
// $RESULTS_DIR/smoke.counts when RESULTS_DIR is set.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const YAML = require('yaml');
const port = Number(process.env.SMOKE_PORT ?? 7107);
const motoPort = Number(process.env.SMOKE_MOTO_PORT ?? 4607);
const base = `http://127.0.0.1:${port}`;
const token = randomBytes(24).toString('hex');
let passed = 0;
let failed = 0;

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}: ${e.message}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
async function api(method, url, body) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
const sh = (cmd, args, env = {}) =>
  execFileSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  }).trim();

// The built artifact: dist/bundle.tar.gz of packages/backend (what a container image ships),
// unpacked under .run/ with its own links for the workspace packages; third-party modules
// resolve from the repository's node_modules above it.
const bundle = path.join(root, 'packages/backend/dist/bundle.tar.gz');
if (!existsSync(bundle)) {
  console.error(`error: ${bundle} is missing; run yarn build:backend first`);
  process.exit(1);
}
const unpacked = path.join(root, '.run/smoke-bundle');
rmSync(unpacked, { recursive: true, force: true });
mkdirSync(unpacked, { recursive: true });
sh('tar', ['xzf', bundle, '-C', unpacked]);
mkdirSync(path.join(unpacked, 'node_modules/@internal'), { recursive: true });
for (const dir of readdirSync(path.join(unpacked, 'plugins'))) {
  const pkg = JSON.parse(readFileSync(path.join(unpacked, 'plugins', dir, 'package.json'), 'utf8'));
  symlinkSync(path.join(unpacked, 'plugins', dir), path.join(unpacked, 'node_modules', pkg.name));
}
const backendEntry = path.join(unpacked, 'packages/backend');

sh('scripts/moto.sh', ['start'], { MOTO_PORT: String(motoPort) });
let backend;
try {
  const log = [];
  backend = spawn(
    process.execPath,
    [
      backendEntry,
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      path.join(root, 'app-config.smoke.yaml'),
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ECS_DEPLOY_SMOKE_TOKEN: token,
        ECS_DEPLOY_AWS_ENDPOINT: `http://127.0.0.1:${motoPort}`,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: base,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  backend.stdout.on('data', d => log.push(String(d)));
  backend.stderr.on('data', d => log.push(String(d)));

  await check('backend becomes ready', async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      assert(
        backend.exitCode === null,
        `backend exited: ${log.join('').slice(-2000)}`,
      );
      try {
        const res = await fetch(`${base}/.backstage/health/v1/readiness`);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      assert(Date.now() < deadline, 'not ready within 120 s');
      await new Promise(r => setTimeout(r, 500));
    }
  });

  await check('refuses an unauthenticated catalog request', async () => {
    const res = await fetch(`${base}/api/catalog/entities`);
    assert(res.status === 401, `status ${res.status}`);
  });

  await check(
    'catalog serves the demo teams and annotated components',
    async () => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await api(
          'GET',
          '/api/catalog/entities/by-query?filter=kind=component,metadata.annotations.ecs-deploy.io/service-name',
        );
        const names = (res.json?.items ?? []).map(e => e.metadata.name).sort();
        if (
          names.join() === 'checkout-web,payments-api,search-api,search-indexer'
        ) {
          const groups = await api(
            'GET',
            '/api/catalog/entities/by-query?filter=kind=group',
          );
          const g = groups.json.items.map(e => e.metadata.name);
          assert(
            g.includes('team-payments') && g.includes('team-search'),
            `groups: ${g}`,
          );
          return;
        }
        assert(
          Date.now() < deadline,
          `components: ${names} (status ${res.status})`,
        );
        await new Promise(r => setTimeout(r, 1000));
      }
    },
  );

  await check('catalog lists the ECS service template', async () => {
    const res = await api(
      'GET',
      '/api/catalog/entities/by-name/template/default/ecs-service',
    );
    assert(
      res.status === 200,
      `status ${res.status}: ${res.text.slice(0, 300)}`,
    );
  });

  const templateDir = path.join(root, 'templates/ecs-service');
  const files = [];
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full !== path.join(templateDir, 'template.yaml'))
        files.push(full);
    }
  };
  walk(templateDir);
  const template = YAML.parse(
    readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
  );
  const dryRun = values =>
    api('POST', '/api/scaffolder/v2/dry-run', {
      template,
      values,
      secrets: {},
      directoryContents: files.map(f => ({
        path: path.relative(templateDir, f),
        base64Content: readFileSync(f).toString('base64'),
      })),
    });
  const good = JSON.parse(process.env.SMOKE_TEMPLATE_VALUES ?? '{}');

  await check(
    'scaffolder dry-run renders Terraform per environment and catalog-info.yaml',
    async () => {
      const started = Date.now();
      const res = await dryRun({
        name: 'smoke-svc',
        owner: 'group:default/team-payments',
        description: 'Smoke test',
        ...good,
      });
      assert(
        res.status === 200,
        `status ${res.status}: ${res.text.slice(0, 500)}`,
      );
      const paths = res.json.directoryContents.map(f => f.path);
      for (const p of [
        'terraform/staging/main.tf',
        'terraform/prod/main.tf',
        'catalog-info.yaml',
      ]) {
        assert(
          paths.some(x => x.endsWith(p)),
          `missing ${p} in ${paths.join(', ')}`,
        );
      }
      const steps = res.json.steps.map(s => s.id);
      assert(res.json.log.length > 0, 'no log');
      console.log(
        `        dry-run round trip ${
          Date.now() - started
        } ms; steps ${steps.join(', ')}`,
      );
    },
  );

  await check(
    'scaffolder dry-run refuses a bad service name, naming the field',
    async () => {
      const res = await dryRun({
        name: 'Bad_Name',
        owner: 'group:default/team-payments',
        description: 'x',
        ...good,
      });
      const text = JSON.stringify(res.json ?? res.text);
      assert(
        res.status >= 400 || /error|fail/i.test(text),
        `status ${res.status}`,
      );
      assert(/name/i.test(text), 'message does not name the field');
    },
  );

  await check(
    'ecs-deploy answers with the configured environments',
    async () => {
      const res = await api('GET', '/api/ecs-deploy/info');
      assert(res.status === 200, `status ${res.status}`);
      assert(
        res.json.environments.map(e => e.name).join() === 'staging,prod',
        JSON.stringify(res.json),
      );
    },
  );

  await check(
    'ecs-deploy reports per-environment errors when the clusters do not exist',
    async () => {
      const res = await api(
        'GET',
        '/api/ecs-deploy/teams/default/team-payments/status',
      );
      assert(
        res.status === 200,
        `status ${res.status}: ${res.text.slice(0, 300)}`,
      );
      const cell = res.json.rows[0].environments.staging;
      assert(
        cell.health === 'unknown' && /demo-staging/.test(cell.error?.message),
        JSON.stringify(cell),
      );
    },
  );

  await check('the backend log holds no credentials', async () => {
    const all = log.join('');
    assert(!all.includes(token), 'static token found in the log');
  });
} finally {
  if (backend && backend.exitCode === null) {
    backend.kill('SIGTERM');
    await new Promise(r => setTimeout(r, 1500));
    if (backend.exitCode === null) backend.kill('SIGKILL');
  }
  sh('scripts/moto.sh', ['stop'], { MOTO_PORT: String(motoPort) });
  console.log(`smoke: ${passed} passed, ${failed} failed`);
  if (process.env.RESULTS_DIR)
    writeFileSync(
      path.join(process.env.RESULTS_DIR, 'smoke.counts'),
      `${passed} ${failed}\n`,
    );
  process.exit(failed === 0 ? 0 : 1);
}
