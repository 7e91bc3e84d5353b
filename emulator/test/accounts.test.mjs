// Accounts: AssumeRole checked like AWS (role exists, trust policy, external id), the
// OrganizationAccountAccessRole bootstrap, and ECS resources and rollouts isolated per account.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient, DescribeServicesCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  REGION,
  createCluster,
  createService,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1 });
const MAIN = '123456789012';
const STAGING = '111111111111';
const PROD = '222222222222';
const MAIN_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const sts = credentials => new STSClient({ endpoint: ctx.emulator.endpoint, region: REGION, credentials });
const clientWith = (Client, credentials) => new Client({ endpoint: ctx.emulator.endpoint, region: REGION, credentials });

async function assume(roleArn, { credentials = MAIN_CREDENTIALS, externalId } = {}) {
  const out = await sts(credentials).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test', ExternalId: externalId }),
  );
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

const orgRole = account => `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;

/** The portal's role in `account`, created through the organization role, trusting the main account with an external id. */
async function createPortalRole(account, externalId) {
  const admin = await assume(orgRole(account));
  const name = unique('portal');
  await clientWith(IAMClient, admin).send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${MAIN}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        }],
      }),
    }),
  );
  return `arn:aws:iam::${account}:role/${name}`;
}

async function assumeFails(roleArn, options) {
  const error = await assume(roleArn, options).then(() => null, e => e);
  assert.ok(error, `AssumeRole of ${roleArn} was allowed`);
  assert.equal(error.name, 'AccessDenied');
  assert.equal(error.$metadata.httpStatusCode, 403);
  assert.match(error.message, new RegExp(`not authorized to perform: sts:AssumeRole on resource: ${roleArn.replace(/[/]/g, '\\/')}$`));
  return error;
}

describe('AssumeRole', () => {
  test('the organization role bootstraps a fresh account; its credentials act in that account', async () => {
    const credentials = await assume(orgRole(STAGING));
    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, STAGING);
    assert.match(identity.Arn, /^arn:aws:sts::111111111111:assumed-role\/OrganizationAccountAccessRole\/test$/);
  });

  test('a role that trusts the main account with an external id: only the right external id gets in', async () => {
    const role = await createPortalRole(STAGING, 'portal-staging');
    const credentials = await assume(role, { externalId: 'portal-staging' });
    assert.equal((await sts(credentials).send(new GetCallerIdentityCommand({}))).Account, STAGING);

    const wrong = await assumeFails(role, { externalId: 'guess' });
    assert.match(wrong.message, /^User: arn:aws:sts::123456789012:user\/moto is not authorized/);
    await assumeFails(role, {});
  });

  test('a missing role, a caller the trust policy does not name, and the main account\'s own organization role are refused', async () => {
    await assumeFails(`arn:aws:iam::${STAGING}:role/does-not-exist`);
    const role = await createPortalRole(STAGING, 'x');
    const prodAdmin = await assume(orgRole(PROD));
    await assumeFails(role, { credentials: prodAdmin, externalId: 'x' });
    await assumeFails(orgRole(MAIN));
  });
});

describe('isolation per account', () => {
  test('a cluster and service in one account are invisible to the others; rollouts complete in each', async () => {
    const staging = await assume(await createPortalRole(STAGING, 'e'), { externalId: 'e' });
    const prod = await assume(await createPortalRole(PROD, 'e'), { externalId: 'e' });
    const ecsIn = credentials => clientWith(ECSClient, credentials);

    const deployed = {};
    for (const [account, credentials] of [[STAGING, staging], [PROD, prod]]) {
      const ecs = ecsIn(credentials);
      const cluster = await createCluster(ecs, unique(`cluster-${account}`));
      const taskDefinition = await registerTaskDefinition(ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.0.0' });
      const { serviceName, serviceArn } = await createService(ecs, { cluster, taskDefinition, desiredCount: 2 });
      assert.match(serviceArn, new RegExp(`^arn:aws:ecs:${REGION}:${account}:service/`));
      deployed[account] = { cluster, serviceName, ecs };
    }
    for (const { cluster, serviceName, ecs } of Object.values(deployed)) {
      const done = await waitForRollout(ecs, cluster, serviceName, 'COMPLETED');
      assert.equal(done.runningCount, 2);
      const tasks = await serviceTasks(ecs, cluster, serviceName);
      assert.equal(tasks.length, 2);
    }

    const clustersOf = async ecs => (await ecs.send(new ListClustersCommand({}))).clusterArns;
    const { cluster, serviceName } = deployed[STAGING];
    assert.deepEqual((await clustersOf(deployed[PROD].ecs)).filter(a => a.endsWith(`/${cluster}`)), []);
    assert.ok((await clustersOf(deployed[STAGING].ecs)).some(a => a.endsWith(`/${cluster}`)));
    assert.deepEqual((await clustersOf(ctx.ecs)).filter(a => a.endsWith(`/${cluster}`)), [], 'the main account sees nothing');
    const fromProd = await deployed[PROD].ecs
      .send(new DescribeServicesCommand({ cluster, services: [serviceName] }))
      .then(out => out.failures?.[0]?.reason, e => e.name);
    assert.ok(['ClusterNotFoundException', 'MISSING'].includes(fromProd), `prod sees staging's service: ${fromProd}`);
  });
});
