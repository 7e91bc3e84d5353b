#!/usr/bin/env node
// Granted = used, at run time: every AWS call the portal's backend makes while people use it is
// granted by the policy terraform-modules/portal-access renders for the portal role
// (scripts/iam/policies.mjs's renderPolicies and ungrantedCalls). The backend (from source, app-config.yaml's
// accounts: staging in 111111111111, prod in 222222222222, each through its portal role) talks to its
// own emulator through the dev kit's counting proxy, which records each call's IAM action and caller
// (the role and account, or the main account's keys). With
// payments-api seeded in both accounts (staging on 1.1.0, prod on 1.0.0), as alice of team-payments:
// the entity's status, tasks and logs, a promotion preview and the promotion of staging's image to
// prod, a rollback preview and the rollback of prod, the history. Then:
//   1. prod's service runs in 222222222222 only, and staging's cluster is not in that account;
//   2. the main account's keys only assumed the portal roles, and each account's portal role made
//      the reads and writes, each granted (its AssumeRole is the main account's permission).
// Ends with "iam-calls: N passed, N failed"; writes "N M" to $RESULTS_DIR/iam-calls.counts.
import assert from 'node:assert/strict';
import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  LOCAL_ACCOUNTS,
  PORTAL_ROLE,
  TEST_REGION,
  checkRunner,
  createLocalAccounts,
  ecsClient,
  eventually,
  seedService,
  startAwsProxy,
  startBackend,
  startEmulator,
} from '@internal/dev-kit';
import { renderPolicies, ungrantedCalls } from './iam/policies.mjs';

const checks = checkRunner('iam-calls');
const SERVICE = 'payments-api';
const ENTITY = `/api/ecs-deploy/entities/component/default/${SERVICE}`;
const OLD = `ghcr.io/acme/${SERVICE}:1.0.0`;
const NEW = `ghcr.io/acme/${SERVICE}:1.1.0`;

const until = (what, probe, timeoutMs = 90_000) => eventually(what, probe, { timeoutMs, intervalMs: 1000 });

let emulator;
let proxy;
let backend;
try {
  // Rendered before anything runs (terraform console, no AWS call).
  const rendered = renderPolicies();

  emulator = await startEmulator({ rolloutSeconds: 2 });
  const admins = await createLocalAccounts(emulator.endpoint);
  for (const [env, image] of [['staging', NEW], ['prod', OLD]]) {
    await seedService(emulator.endpoint, env, SERVICE, image, { cluster: `demo-${env}`, credentials: admins[env] });
  }
  proxy = await startAwsProxy({ target: emulator.endpoint });
  backend = await startBackend({
    name: 'iam-calls',
    awsEndpoint: proxy.endpoint,
    config: {
      ecsDeploy: {
        // The seeded tasks run no image with a digest, and staging's verification is not the subject.
        promotionPaths: [{ from: 'staging', to: 'prod', requireHealthySource: false }],
        preflight: { requireDigest: false },
      },
    },
  });
  const alice = await backend.guestToken();
  const api = (p, init = {}) => backend.request(`${ENTITY}${p}`, { token: alice, ...init });
  const prodImage = async () => {
    const res = await api('/status');
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const prod = res.json.environments.find(e => e.environment === 'prod');
    assert.equal(prod.error, undefined, JSON.stringify(prod.error));
    return prod.service?.images?.[0]?.image?.replace(/@sha256:.*/, '');
  };

  await checks.check('alice reads payments-api in both accounts: status, tasks, logs', async () => {
    await until('the entity in the catalog', async () => (await api('/status')).status === 200);
    const res = await api('/status');
    for (const env of res.json.environments) {
      assert.equal(env.error, undefined, `${env.environment}: ${JSON.stringify(env.error)}`);
      assert.ok(env.service?.arn.includes(`:${LOCAL_ACCOUNTS[env.environment]}:service/`), `${env.environment}: ${env.service?.arn}`);
    }
    for (const env of ['staging', 'prod']) {
      const tasks = await api(`/tasks?environment=${env}`);
      assert.equal(tasks.status, 200, tasks.text.slice(0, 300));
      const logs = await api(`/logs?environment=${env}`);
      assert.equal(logs.status, 200, logs.text.slice(0, 300));
    }
  });

  await checks.check("promote staging's image to prod", async () => {
    const preview = await api('/promotions/preview?from=staging&to=prod');
    assert.equal(preview.status, 200, preview.text.slice(0, 300));
    const promoted = await api('/promotions', { method: 'POST', body: { from: 'staging', to: 'prod', reason: 'iam-calls' } });
    assert.equal(promoted.status, 201, promoted.text.slice(0, 300));
    await until('prod on 1.1.0', async () => (await prodImage()) === NEW);
  });

  await checks.check('roll prod back', async () => {
    await until('the rollback preview allows it', async () => {
      const preview = await api('/rollbacks/preview?environment=prod');
      return preview.status === 200 && preview.json.allowed === true;
    });
    const rolled = await api('/rollbacks', { method: 'POST', body: { environment: 'prod', reason: 'iam-calls' } });
    assert.equal(rolled.status, 201, rolled.text.slice(0, 300));
    await until('prod on 1.0.0 again', async () => (await prodImage()) === OLD);
    const history = await api('/history');
    assert.equal(history.status, 200, history.text.slice(0, 300));
    assert.ok(history.json.items.length >= 2, history.text.slice(0, 300));
  });

  await checks.check('prod runs in 222222222222 only; staging in 111111111111 only', async () => {
    for (const [env, other] of [['staging', 'prod'], ['prod', 'staging']]) {
      const own = ecsClient(emulator.endpoint, TEST_REGION, admins[env]);
      const { services } = await own.send(new DescribeServicesCommand({ cluster: `demo-${env}`, services: [SERVICE] }));
      assert.match(services[0].serviceArn, new RegExp(`:${LOCAL_ACCOUNTS[env]}:service/demo-${env}/`));
      const elsewhere = ecsClient(emulator.endpoint, TEST_REGION, admins[other]);
      const { clusters } = await elsewhere.send(new DescribeClustersCommand({ clusters: [`demo-${env}`] }));
      assert.deepEqual(clusters, [], `demo-${env} in ${LOCAL_ACCOUNTS[other]}`);
    }
  });

  await checks.check('every AWS call the backend made is granted by the portal role portal-access renders', () => {
    const callers = ungrantedCalls(proxy.calls(), rendered);
    const describe = callers.map(c => `${c.account} ${c.role ?? '(main account keys)'}: ${c.actions.join(', ')}`).join('; ');
    // The main account's keys assumed the portal role of each account, and the walk-through
    // reached, in each, AWS's reads and the promotion's and rollback's writes.
    const main = callers.find(c => !c.role);
    assert.deepEqual(main?.actions, ['sts:AssumeRole'], describe);
    for (const env of ['staging', 'prod']) {
      const portal = callers.find(c => c.account === LOCAL_ACCOUNTS[env] && c.role === PORTAL_ROLE.roleName);
      for (const action of ['ecs:DescribeServices', 'logs:FilterLogEvents', ...(env === 'prod' ? ['ecs:RegisterTaskDefinition', 'ecs:UpdateService', 'ssm:PutParameter'] : [])]) {
        assert.ok(portal?.actions.includes(action), `${action} not recorded in ${env}: ${describe}`);
      }
    }
    assert.equal(callers.length, 3, describe);
    assert.deepEqual(callers.flatMap(c => c.missing), [], describe);
    return `${proxy.total()} calls, all granted: ${describe}`;
  });
} catch (e) {
  checks.fail('setup', e);
} finally {
  await backend?.stop();
  await proxy?.close();
  await emulator?.stop();
  process.exit(checks.finish() ? 0 : 1);
}
