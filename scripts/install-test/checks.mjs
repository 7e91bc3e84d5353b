// The install test's checks of what was packed and of the installed app's backend: each throws
// (node:assert) when what it looks at is not as a user of the packages would need it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  deployImage,
  describeDeployed,
  ecsClient,
  eventually,
  readTree,
} from '@internal/dev-kit';
import { tarballFiles } from './app.mjs';
import { SERVICE } from './fixtures.mjs';

/** Files each tarball must hold: what runs, what the backend reads at run time. */
const SHIPPED = {
  'plugin-ecs-deploy-common': [
    'dist/index.cjs.js',
    'dist/index.esm.js',
    'dist/index.d.ts',
  ],
  'plugin-ecs-deploy-node': ['dist/index.cjs.js', 'dist/index.d.ts'],
  'plugin-ecs-deploy-backend': [
    'dist/index.cjs.js',
    'config.schema.json',
    'migrations/20261128000000_init.js',
  ],
  'plugin-scaffolder-backend-module-ecs-deploy': [
    'dist/index.cjs.js',
    'config.schema.json',
    'templates/terraform/main.tf.njk',
    'templates/ecs-service/template.yaml',
    'templates/adopt-ecs-service/template.yaml',
    'templates/import-ecs-services/template.yaml',
    'templates/ecs-service/skeleton/gitignore',
    'templates/ecs-service/skeleton/github/workflows/deploy.yaml',
    'terraform-modules/ecs-environment-ref/main.tf',
    'terraform-modules/ecs-service/main.tf',
  ],
  'plugin-ecs-deploy': [
    'dist/index.esm.js',
    'dist/alpha.esm.js',
    'config.schema.json',
  ],
};

/** Files that keep their executable bit (publishConfig.executableFiles). */
const EXECUTABLE = {
  'plugin-scaffolder-backend-module-ecs-deploy': [
    'templates/ecs-service/skeleton/scripts/deploy.sh',
  ],
};

/** Sources, tests, Terraform state (the template's skeleton is a service's sources: allowed). */
const NOT_SHIPPED =
  /^src\/|^(?!templates\/).*\.test\.|\/tests\/|tfstate|\.terraform\//;

export function checkTarballs(tarballs) {
  const byName = name =>
    tarballs.find(f =>
      path.basename(f).startsWith(`@deployment-portal-${name}-0`),
    );
  for (const [name, wanted] of Object.entries(SHIPPED)) {
    const file = byName(name);
    assert.ok(file, `no tarball for ${name} in ${tarballs.join(', ')}`);
    const files = tarballFiles(file);
    const list = [...files.keys()];
    for (const f of wanted) assert.ok(files.has(f), `${name} lacks ${f}`);
    assert.deepEqual(
      list.filter(f => NOT_SHIPPED.test(f)),
      [],
      `${name} ships sources, tests or state`,
    );
    for (const f of EXECUTABLE[name] ?? []) {
      assert.ok(files.get(f), `${f} in ${name} is not executable`);
    }
  }
}

/** Requests to the app's backend as create-app's guest user (development sign-in). */
export function apiClient(baseUrl) {
  let token;
  return async (urlPath, { method = 'GET', body } = {}) => {
    // Once the catalog has create-app's guest user, the token carries its group (the owner).
    token ??= await eventually(
      'a guest token of a member of group:default/guests',
      async () => {
        const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        });
        const identity = (await res.json())?.backstageIdentity;
        const groups = identity?.identity?.ownershipEntityRefs ?? [];
        return groups.includes('group:default/guests') && identity.token;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const res = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body && { 'content-type': 'application/json' }),
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
  };
}

const ENTITY = `/api/ecs-deploy/entities/component/default/${SERVICE}`;
const imagesOf = env => env?.service?.images.map(i => i.image).join() ?? '';

/** Staging (2.0.0) and prod (1.0.0) as the emulator runs them, once the catalog has the entity. */
export async function checkStatus(api) {
  const status = await eventually(
    `${SERVICE}: staging healthy`,
    async () => {
      const res = await api(`${ENTITY}/status`);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      const staging = res.json.environments.find(
        e => e.environment === 'staging',
      );
      return staging?.health === 'healthy' && res.json;
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
  const env = name => status.environments.find(e => e.environment === name);
  assert.match(imagesOf(env('staging')), /:2\.0\.0$/);
  assert.match(imagesOf(env('prod')), /:1\.0\.0$/);
  return `staging ${imagesOf(env('staging'))}, prod ${imagesOf(env('prod'))}`;
}

/** Promotes staging to prod and waits for the follow-through's `rolled-out`. */
export async function checkPromote(api) {
  const res = await api(`${ENTITY}/promotions`, {
    method: 'POST',
    body: { from: 'staging', to: 'prod', reason: 'install test' },
  });
  assert.equal(res.status, 201, res.text.slice(0, 400));
  const row = await eventually(
    'the promotion rolled out',
    async () => {
      const history = await api(`${ENTITY}/history`);
      const promotion = history.json?.items?.find(r => r.action === 'promote');
      if (
        ['failed', 'rolled-back-automatically'].includes(promotion?.outcome)
      ) {
        throw new Error(
          `outcome ${promotion.outcome}: ${promotion.outcomeMessage}`,
        );
      }
      return promotion?.outcome === 'rolled-out' && promotion;
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
  const status = await api(`${ENTITY}/status`);
  const prod = status.json.environments.find(e => e.environment === 'prod');
  assert.match(
    imagesOf(prod),
    /:2\.0\.0(@sha256:\w+)?$/,
    "prod does not run staging's image",
  );
  return `rolled out ${row.durationMs} ms after the click`;
}

/** The gate of plugins/ecs-deploy-node/README.md's example module, installed by its steps. */
const GATE = 'no-latest-in-prod';

/**
 * The README's extension module blocks a promotion: CI deploys `:latest` to staging through the
 * ECS API (a new task definition revision, UpdateService); once staging runs it, the preview says
 * the gate blocks (and nothing else does), the promotion is refused with the gate's message and
 * audited as rejected with its verdict, and prod still runs what it ran.
 */
export async function checkGateBlocks(api, endpoint) {
  const ecs = ecsClient(endpoint);
  const image = `ghcr.io/acme/${SERVICE}:latest`;
  const prodBefore = await describeDeployed(ecs, 'test-prod', SERVICE);
  const { taskDefinitionArn } = await deployImage(
    ecs,
    'test-staging',
    SERVICE,
    image,
  );
  await eventually(
    `staging runs ${image}`,
    async () => {
      const { services } = await ecs.send(
        new DescribeServicesCommand({
          cluster: 'test-staging',
          services: [SERVICE],
        }),
      );
      const [deployment, ...others] = services[0].deployments;
      return (
        others.length === 0 &&
        deployment.taskDefinition === taskDefinitionArn &&
        deployment.rolloutState === 'COMPLETED' &&
        deployment.runningCount === deployment.desiredCount
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  // The backend sees the new revision once its status cache has it.
  const preview = await eventually(
    `a preview of ${image} blocked by ${GATE} alone`,
    async () => {
      const res = await api(
        `${ENTITY}/promotions/preview?from=staging&to=prod`,
      );
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.equal(
        res.json.source?.taskDefinition.arn,
        taskDefinitionArn,
        "the backend does not see staging's new revision yet",
      );
      assert.deepEqual(
        res.json.blockers.map(b => b.code),
        ['gate'],
        JSON.stringify(res.json.blockers),
      );
      return res.json;
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
  assert.equal(preview.allowed, false);
  const [blocker] = preview.blockers;
  assert.equal(blocker.gate, GATE);
  assert.match(
    blocker.message,
    new RegExp(`^${GATE}: app would run .*:latest`),
  );

  const res = await api(`${ENTITY}/promotions`, {
    method: 'POST',
    body: {
      from: 'staging',
      to: 'prod',
      expectedTargetTaskDefinition: preview.target.taskDefinition.arn,
      reason: 'install test: latest into prod',
    },
  });
  assert.equal(res.status, 409, res.text.slice(0, 400));
  const message = res.json?.error?.message ?? '';
  // On the write path the image is pinned to the digest staging's task runs (`:latest@sha256:…`).
  assert.match(message, new RegExp(`^${GATE}: app would run .*:latest`));

  // Newest first: this refusal, then checkPromote's promotion of 2.0.0, which the gate passed.
  const history = await api(`${ENTITY}/history`);
  const rows = history.json?.items?.filter(r => r.action === 'promote') ?? [];
  assert.deepEqual(
    rows.map(r => [r.result, r.gates?.map(g => `${g.gate} ${g.result}`)]),
    [
      ['rejected', [`${GATE} blocked`]],
      ['succeeded', [`${GATE} passed`]],
    ],
    'the audit rows of the promotions and their gates',
  );
  assert.deepEqual(
    await describeDeployed(ecs, 'test-prod', SERVICE),
    prodBefore,
    'prod changed',
  );
  return `409 "${message}"; prod still on ${prodBefore.family}:${prodBefore.revision}`;
}

/**
 * The template the README registered, with the skeleton from the installed package, through the
 * scaffolder's dry-run API: every step runs (provision plans each root against the emulator).
 */
export async function checkDryRun(api, ws) {
  const registered = await api(
    '/api/catalog/entities/by-name/template/default/ecs-service',
  );
  assert.equal(
    registered.status,
    200,
    "the README's template location is not in the catalog",
  );
  const dir = path.join(
    ws.app,
    'node_modules/@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy/templates/ecs-service',
  );
  const files = await readTree(dir, 'base64');
  delete files['template.yaml'];
  const res = await api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    body: {
      template: registered.json,
      values: {
        name: 'new-svc',
        owner: 'group:default/guests',
        description: 'From the install test',
      },
      secrets: {},
      directoryContents: Object.entries(files).map(([p, base64Content]) => ({
        path: p,
        base64Content,
      })),
    },
  });
  assert.equal(res.status, 200, res.text.slice(0, 500));
  const log = res.json.log.map(l => l.body.message).join('\n');
  const out = Object.fromEntries(
    res.json.directoryContents.map(f => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString(),
    ]),
  );
  for (const p of [
    '.gitignore',
    '.github/workflows/deploy.yaml',
    'catalog-info.yaml',
    'terraform/prod/main.tf',
  ]) {
    assert.ok(p in out, `${p} missing from ${Object.keys(out).join(', ')}`);
  }
  assert.match(
    out['terraform/staging/main.tf'],
    /node_modules\/@deployment-portal\/plugin-scaffolder-backend-module-ecs-deploy\/terraform-modules\/ecs-service"/,
  );
  const plans = log.match(/terraform\/(staging|prod): Plan: \d+ to add/g) ?? [];
  assert.equal(
    plans.length,
    2,
    `no plan of terraform/staging and terraform/prod:\n${log.slice(-1500)}`,
  );
  return plans.join('; ');
}
