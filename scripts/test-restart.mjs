#!/usr/bin/env node
// Nothing a user made is lost on restart. With its own emulator (staging and prod in their own
// accounts, as app-config.yaml has them), database directory, published repositories and
// Terraform state (under .run/restart-<pid>): creates a service from the
// template as alice (the portal provisions staging and prod), deploys 1.1.0 to staging with the
// published repository's scripts/deploy.sh and promotes it to prod; then
//   1. restarts the backend on the same database: the service, what it runs and its promotion
//      history are still there;
//   2. restarts the emulator as scripts/start.sh does (save-images, an empty emulator, the
//      environments, scripts/services-aws.sh apply): both environments run 1.1.0 again, created
//      on it directly: one task definition revision and one deployment each, never the initial
//      image.
// Ends with "restart: N passed, N failed"; writes "N M" to $RESULTS_DIR/restart.counts.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import {
  TEST_REGION,
  checkRunner,
  createLocalAccounts,
  ecsClient,
  eventually,
  repoRoot,
  seedEnvironment,
  startBackend,
  startEmulator,
} from '@internal/dev-kit';

const execFileAsync = promisify(execFile);
/** execFile that fails with the tail of the command's output, not only "Command failed". */
const exec = async (file, args, options) => {
  try {
    return await execFileAsync(file, args, options);
  } catch (e) {
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${e.message.split('\n')[0]}\n${tail}`);
  }
};
const root = repoRoot();
const checks = checkRunner('restart');
const SERVICE = 'restart-svc';
const ENTITY = `/entities/component/default/${SERVICE}`;
const VERSION = `ghcr.io/acme/${SERVICE}:1.1.0`;
const work = path.join(root, '.run', `restart-${process.pid}`);
const dirs = {
  db: path.join(work, 'db'),
  published: path.join(work, 'published'),
  state: path.join(work, 'state'),
};
const config = {
  backend: { database: { client: 'better-sqlite3', connection: { directory: dirs.db } } },
  ecsDeploy: {
    scaffolder: {
      // From <work>/published/<service>: one level deeper than .run/published/<service>.
      modulesSource: '../../../../terraform-modules',
      provision: 'terraform',
      localPublishDir: dirs.published,
      terraform: { stateDir: dirs.state },
    },
  },
};

/**
 * app-config.yaml's accounts (staging in 111111111111, prod in 222222222222, the portal and
 * Terraform roles in each) and each one's environment; returns each account's administrator.
 */
async function environments(emulator) {
  const admins = await createLocalAccounts(emulator.endpoint);
  for (const env of ['staging', 'prod']) {
    await seedEnvironment(emulator.endpoint, env, { cluster: `demo-${env}`, credentials: admins[env] });
  }
  return admins;
}

/**
 * What each environment runs, as the portal reports it ({ staging: image, prod: image }), without
 * the digest a promotion pins the image to.
 */
async function running(backend) {
  const res = await backend.request(`/api/ecs-deploy${ENTITY}/status`);
  assert.equal(res.status, 200, res.text.slice(0, 300));
  return Object.fromEntries(
    res.json.environments.map(e => [
      e.environment,
      e.health === 'healthy' ? e.service.images[0].image.replace(/@sha256:.*/, '') : e.health,
    ]),
  );
}

const until = (what, probe, timeoutMs = 120_000) =>
  eventually(what, probe, { timeoutMs, intervalMs: 1000 });

const started = [];
const start = async (name, emulator) => {
  const backend = await startBackend({
    name,
    awsEndpoint: emulator.endpoint,
    staticTokens: 1,
    config,
  });
  started.push(backend);
  return backend;
};

let emulator;
try {
  rmSync(work, { recursive: true, force: true });
  Object.values(dirs).forEach(d => mkdirSync(d, { recursive: true }));
  emulator = await startEmulator({ rolloutSeconds: 2 });
  let admins = await environments(emulator);
  let backend = await start('restart-1', emulator);
  const alice = await backend.guestToken();

  await checks.check('a service created from the template runs in staging and prod', async () => {
    await until('the template in the catalog', async () =>
      (await backend.request('/api/catalog/entities/by-name/template/default/ecs-service')).status === 200,
    );
    const created = await backend.request('/api/scaffolder/v2/tasks', {
      method: 'POST',
      token: alice,
      body: {
        templateRef: 'template:default/ecs-service',
        // Only the required values: the template's first step fills in the form's defaults.
        values: { name: SERVICE, description: 'Restart test', owner: 'group:default/team-payments' },
      },
    });
    assert.equal(created.status, 201, created.text.slice(0, 300));
    const task = await until(
      'the task to end',
      async () => {
        const t = await backend.request(`/api/scaffolder/v2/tasks/${created.json.id}`, { token: alice });
        return ['completed', 'failed', 'cancelled'].includes(t.json?.status) && t.json;
      },
      600_000,
    );
    if (task.status !== 'completed') {
      const events = await backend.request(`/api/scaffolder/v2/tasks/${created.json.id}/events`, { token: alice });
      const last = (events.json ?? []).map(e => e.body?.message).filter(Boolean).slice(-3);
      throw new Error(`the task ${task.status}: ${last.join(' | ')}`);
    }
    const initial = 'ghcr.io/acme/hello-world:1.0.0';
    await until('both environments healthy', async () => {
      const r = await running(backend);
      return r.staging === initial && r.prod === initial;
    });
  });

  await checks.check('deploy 1.1.0 to staging (scripts/deploy.sh), promote it to prod', async () => {
    await exec('bash', [path.join(dirs.published, SERVICE, 'scripts/deploy.sh'), 'staging', VERSION], {
      env: {
        ...process.env,
        TERRAFORM: path.join(root, 'scripts/terraform.sh'),
        AWS_ENDPOINT: emulator.endpoint,
        TF_BACKEND_CONFIG: `path=${path.join(dirs.state, SERVICE, 'staging', 'terraform.tfstate')}`,
      },
      maxBuffer: 32 * 1024 * 1024,
    });
    await until('staging on 1.1.0', async () => (await running(backend)).staging === VERSION);
    // Staging's verification of the new revision (the module's alarms) passes before prod takes it.
    await until('the preview allows the promotion (staging verified)', async () => {
      const preview = await backend.request(
        `/api/ecs-deploy${ENTITY}/promotions/preview?from=staging&to=prod`,
        { token: alice },
      );
      return preview.status === 200 && preview.json.allowed === true;
    });
    const promoted = await backend.request(`/api/ecs-deploy${ENTITY}/promotions`, {
      method: 'POST',
      token: alice,
      body: { from: 'staging', to: 'prod', reason: 'restart test' },
    });
    assert.equal(promoted.status, 201, promoted.text.slice(0, 300));
    await until('prod on 1.1.0', async () => (await running(backend)).prod === VERSION);
  });
  const history = async () => {
    const res = await backend.request(`/api/ecs-deploy${ENTITY}/history`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    return res.json.items;
  };
  const before = await history().catch(() => []);

  await backend.stop();
  backend = await start('restart-2', emulator);
  await checks.check('after a backend restart: the entity, what it runs and its history', async () => {
    const entity = await backend.request(`/api/catalog/entities/by-name/component/default/${SERVICE}`);
    assert.equal(entity.status, 200, 'the created component is no longer in the catalog');
    assert.deepEqual(await running(backend), { staging: VERSION, prod: VERSION });
    const after = await history();
    assert.ok(before.length > 0, 'no promotion in the history before the restart');
    assert.deepEqual(after, before);
  });

  await checks.check('after an emulator restart (as scripts/start.sh): both environments back on 1.1.0', async () => {
    const env = {
      ...process.env,
      SERVICES_PUBLISHED_DIR: dirs.published,
      SERVICES_STATE_DIR: dirs.state,
    };
    await exec(path.join(root, 'scripts/services-aws.sh'), ['save-images', emulator.endpoint], { env });
    const port = emulator.port;
    await emulator.stop();
    emulator = await startEmulator({ port, rolloutSeconds: 2 });
    admins = await environments(emulator);
    const startedAt = Date.now();
    const { stdout } = await exec(path.join(root, 'scripts/services-aws.sh'), ['apply', emulator.endpoint], {
      env,
      maxBuffer: 32 * 1024 * 1024,
    });
    assert.match(stdout, /\(0 of 2 roots failed\)/, stdout);
    assert.doesNotMatch(stdout, /initial image/, stdout);
    await until('both environments on 1.1.0', async () => {
      const r = await running(backend);
      return r.staging === VERSION && r.prod === VERSION;
    });
    // Created on the saved image: the family's only revision runs it, and the service has had one
    // deployment (its events name no other), so neither the card nor ECS ever saw the initial image.
    for (const env of ['staging', 'prod']) {
      const ecs = ecsClient(emulator.endpoint, TEST_REGION, admins[env]);
      const saved = readFileSync(path.join(dirs.state, SERVICE, env, 'image'), 'utf8').trim();
      const { taskDefinitionArns } = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: `${SERVICE}-${env}` }),
      );
      assert.deepEqual(taskDefinitionArns.map(a => a.split(':').pop()), ['1'], `${env}: task definition revisions`);
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArns[0] }));
      assert.equal(taskDefinition.containerDefinitions[0].image, saved, `${env}: the revision runs the saved image`);
      const services = await until(`${env}: the deployment completed`, async () => {
        const out = await ecs.send(new DescribeServicesCommand({ cluster: `demo-${env}`, services: [SERVICE] }));
        return out.services[0].deployments[0]?.rolloutState === 'COMPLETED' && out.services;
      });
      assert.deepEqual(services[0].deployments.map(d => d.taskDefinition), [taskDefinitionArns[0]], `${env}: deployments`);
      const deploymentIds = new Set(
        services[0].events.flatMap(e => [...e.message.matchAll(/\(deployment (ecs-svc\/\d+)\)/g)].map(m => m[1])),
      );
      assert.deepEqual([...deploymentIds], [services[0].deployments[0].id], `${env}: deployments named in the events`);
    }
    return `rebuilt in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
  });
} catch (e) {
  checks.fail('setup', e);
} finally {
  for (const b of started) await b.stop().catch(() => {});
  await emulator?.stop();
  const ok = checks.finish();
  if (ok) rmSync(work, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}
