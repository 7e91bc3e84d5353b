#!/usr/bin/env node
// Live smoke test of the BUILT backend (packages/backend/dist), as CI runs it:
// readiness, the catalog, a scaffolder dry-run of templates/ecs-service through the HTTP API (as
// alice, a guest user: a service is created by a person for a group they belong to) and the ECS
// deploy API with a static external-access token, staging and prod in their own accounts
// (app-config.yaml's roles, created here). Starts and stops the backend and its own emulator
// (free loopback ports; SMOKE_PORT picks the backend's). Ends with "smoke: N passed, N failed";
// writes "N M" to $RESULTS_DIR/smoke.counts when RESULTS_DIR is set.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { LOCAL_ACCOUNTS, TEST_REGION, checkRunner, createLocalAccounts, ecsClient, eventually, readTree, repoRoot, startBackend, startEmulator, unpackBundle } from '@internal/dev-kit';

const root = repoRoot();
const YAML = createRequire(path.join(root, 'package.json'))('yaml');
const checks = checkRunner('smoke');

// The built artifact: dist/bundle.tar.gz of packages/backend (what a container image ships),
// unpacked under .run/ with its own links for the workspace packages.
let unpacked;
try {
  unpacked = unpackBundle(path.join(root, '.run/smoke-bundle'));
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(1);
}

let emulator;
let backend;
try {
  emulator = await startEmulator();
  // The local default's accounts (the portal role in each) and their clusters, empty: a new name
  // can be checked against them.
  const admins = await createLocalAccounts(emulator.endpoint);
  for (const env of ['staging', 'prod']) {
    await ecsClient(emulator.endpoint, TEST_REGION, admins[env]).send(new CreateClusterCommand({ clusterName: `demo-${env}` }));
  }
  await checks.check('backend becomes ready', async () => {
    backend = await startBackend({
      name: 'smoke',
      from: 'bundle',
      bundleDir: unpacked,
      port: process.env.SMOKE_PORT ? Number(process.env.SMOKE_PORT) : undefined,
      awsEndpoint: emulator.endpoint,
      staticTokens: 1,
      readyTimeoutMs: 120_000,
      // The production build on the local default (SQLite, the in-memory cache, the guest), which
      // a real production start refuses (scripts/test-production.sh proves the production
      // overlay): the guest stands in for a signed-in person (alice of team-payments).
      config: {
        portal: { dangerouslyAllowLocalDefaults: true },
        auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
      },
    });
  });
  if (!backend) throw new Error('no backend');

  await checks.check('refuses an unauthenticated catalog request', async () => {
    const res = await backend.request('/api/catalog/entities', { token: null });
    assert.equal(res.status, 401);
  });

  await checks.check('catalog serves the demo teams and annotated components', async () => {
    await eventually(
      'the seven annotated demo components',
      async () => {
        const res = await backend.request(
          '/api/catalog/entities/by-query?filter=kind=component,metadata.annotations.ecs-deploy.io/service-name',
        );
        const names = (res.json?.items ?? []).map(e => e.metadata.name).sort();
        return names.join() === 'cart-api,checkout-web,payments-api,refunds-api,search-api,search-indexer,wishlist-api';
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const groups = await backend.request('/api/catalog/entities/by-query?filter=kind=group');
    const g = groups.json.items.map(e => e.metadata.name);
    assert.ok(g.includes('team-payments') && g.includes('team-search'), `groups: ${g}`);
  });

  await checks.check('catalog lists the ECS service template', async () => {
    const res = await backend.request('/api/catalog/entities/by-name/template/default/ecs-service');
    assert.equal(res.status, 200, res.text.slice(0, 300));
  });

  const templateDir = path.join(root, 'templates/ecs-service');
  const { 'template.yaml': templateYaml, ...files } = await readTree(templateDir, 'base64');
  const template = YAML.parse(Buffer.from(templateYaml, 'base64').toString('utf8'));
  const alice = await backend.guestToken();
  const dryRun = (name, description) =>
    backend.request('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      token: alice,
      body: {
        template,
        // Only the required values, as an API client may send them.
        values: { name, owner: 'group:default/team-payments', description },
        secrets: {},
        directoryContents: Object.entries(files).map(([p, base64Content]) => ({ path: p, base64Content })),
      },
    });

  await checks.check("scaffolder dry-run with only the required values renders each environment on the form's defaults", async () => {
    const res = await dryRun('smoke-svc', 'Smoke test');
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const rendered = Object.fromEntries(
      res.json.directoryContents.map(f => [f.path, Buffer.from(f.base64Content, 'base64').toString('utf8')]),
    );
    for (const p of ['terraform/staging/main.tf', 'terraform/prod/main.tf', 'catalog-info.yaml']) {
      assert.ok(rendered[p], `missing ${p} in ${Object.keys(rendered).join(', ')}`);
    }
    // The defaults come from the template's parameter schema (ecs-deploy:form-defaults).
    const defaults = Object.assign({}, ...template.spec.parameters.map(page => page.properties));
    for (const env of ['staging', 'prod']) {
      const main = rendered[`terraform/${env}/main.tf`];
      assert.match(main, new RegExp(`desired_count = ${defaults[`${env}DesiredCount`].default}\\n`), `${env} main.tf`);
      assert.match(main, new RegExp(`port  = ${defaults.port.default}\\n`), `${env} main.tf`);
      assert.doesNotMatch(main, /autoscaling/, `${env} main.tf`);
      // Each root assumes the Terraform role of its environment's account (scaffolder.terraformRole).
      const root = Object.entries(rendered).filter(([p]) => p.startsWith(`terraform/${env}/`)).map(([, text]) => text).join('\n');
      assert.ok(root.includes(`"arn:aws:iam::${LOCAL_ACCOUNTS[env]}:role/ecs-deploy-terraform"`), `${env}: no role of account ${LOCAL_ACCOUNTS[env]}`);
    }
    const entity = YAML.parse(rendered['catalog-info.yaml']);
    assert.deepEqual([entity.metadata.name, entity.spec.owner], ['smoke-svc', 'group:default/team-payments']);
    assert.deepEqual(res.json.steps.map(s => s.id).slice(0, 5), ['form', 'check', 'fetch', 'dotfiles', 'render']);
    return `dry-run round trip ${res.ms.toFixed(0)} ms; steps ${res.json.steps.map(s => s.id).join(', ')}`;
  });

  await checks.check('scaffolder dry-run refuses a bad service name, naming the field', async () => {
    // The form's pattern: refused before any step, by the parameter schema.
    const pattern = await dryRun('Bad_Name', 'x');
    assert.equal(pattern.status, 400, pattern.text.slice(0, 300));
    assert.deepEqual(
      pattern.json.errors.map(e => [e.property, e.name]),
      [['instance.name', 'pattern']],
      pattern.text.slice(0, 300),
    );
    // A name the pattern allows but the shared rule refuses: the first step names field and value.
    const reserved = await dryRun('admin', 'x');
    assert.equal(reserved.status, 400, reserved.text.slice(0, 300));
    assert.equal(reserved.json.error.name, 'InputError', reserved.text.slice(0, 300));
    assert.match(reserved.json.error.message, /^Invalid name "admin": /);
  });

  await checks.check('ecs-deploy answers with the configured environments', async () => {
    const res = await backend.request('/api/ecs-deploy/info');
    assert.equal(res.status, 200);
    assert.equal(res.json.environments.map(e => e.name).join(), 'staging,prod', res.text);
  });

  await checks.check('ecs-deploy reads each account through its role: the demo services are not deployed in the empty clusters', async () => {
    const res = await backend.request('/api/ecs-deploy/teams/default/team-payments/status');
    assert.equal(res.status, 200, res.text.slice(0, 300));
    for (const env of ['staging', 'prod']) {
      const cell = res.json.rows[0].environments[env];
      assert.equal(cell.health, 'not-deployed', `${env} (account ${LOCAL_ACCOUNTS[env]}): ${JSON.stringify(cell)}`);
    }
    const names = await backend.request('/api/ecs-deploy/service-names/payments-api');
    assert.equal(names.json.available, false, names.text);
    assert.match(names.json.conflicts[0].message, /component:default\/payments-api already exists/);
  });

  await checks.check('error bodies of the production build carry no stack trace', async () => {
    const bad = await backend.request('/api/ecs-deploy/entities/component/default/pay%20ments/status');
    const missing = await backend.request('/api/ecs-deploy/entities/component/default/no-such-service/status');
    const write = await backend.request('/api/ecs-deploy/entities/component/default/payments-api/promotions', {
      method: 'POST',
      body: { from: 'staging', to: 'prod' },
    });
    for (const [res, status] of [[bad, 400], [missing, 404], [write, 403]]) {
      assert.equal(res.status, status, res.text.slice(0, 300));
      assert.ok(res.json?.error?.message, res.text.slice(0, 300));
      assert.ok(!('stack' in res.json.error) && !/\n\s+at /.test(res.text), `stack trace in ${res.text.slice(0, 300)}`);
    }
  });

  await checks.check('the backend log holds no credentials', () => {
    assert.ok(!backend.log().includes(backend.token), 'static token found in the log');
  });
} catch (e) {
  checks.fail('setup', e);
} finally {
  await backend?.stop();
  await emulator?.stop();
  process.exit(checks.finish() ? 0 : 1);
}
