/*
 * Environments in other accounts, reached through `aws.accounts[].roleName` and `externalId` from
 * the main account (@backstage/integration-aws-node's role path), against the emulator, which
 * isolates resources per account and checks AssumeRole against the role's trust policy as AWS does.
 * prod lives in 222222222222, whose role trusts the main account; staging's account 111111111111
 * has no such role: its cell, and a promotion from it, name the role and the account; prod is read
 * as usual and left as it was.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTrustedRole, TEST_CREDENTIALS } from '@internal/dev-kit';
import request from 'supertest';
import { ecsDeployPlugin } from './plugin';
import {
  component,
  ecsDeployTestConfig,
  seedService,
} from './__testUtils__/ecsFixtures';
import { Emulator, startTestEmulator } from './__testUtils__/emulator';

jest.setTimeout(90_000);

const STAGING_ACCOUNT = '111111111111';
const PROD_ACCOUNT = '222222222222';
const ROLE = 'backstage-ecs-deploy';
const EXTERNAL_ID = 'ecs-deploy-test';
const IMAGE = 'ghcr.io/acme/payments-api:1.3.2';

describe('environments in other accounts', () => {
  let emulator: Emulator;
  let server: any;
  const stsEndpoint = process.env.AWS_ENDPOINT_URL_STS;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const { endpoint } = emulator;
    // The credential manager's STS client takes its endpoint from the SDK's environment.
    process.env.AWS_ENDPOINT_URL_STS = endpoint;
    // prod's account: the portal role, trusting the main account with the external ID.
    const admin = await createTrustedRole({
      endpoint,
      accountId: PROD_ACCOUNT,
      roleName: ROLE,
      externalId: EXTERNAL_ID,
    });
    await seedService(endpoint, 'prod', 'payments-api', IMAGE, {
      credentials: admin,
    });

    const config = ecsDeployTestConfig(endpoint, {
      cache: { statusTtl: { milliseconds: 1 } },
    });
    const [staging, prod] = config.ecsDeploy.environments;
    staging.accountId = STAGING_ACCOUNT;
    prod.accountId = PROD_ACCOUNT;
    const { server: s } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...config,
            aws: {
              mainAccount: TEST_CREDENTIALS,
              accounts: [STAGING_ACCOUNT, PROD_ACCOUNT].map(accountId => ({
                accountId,
                roleName: ROLE,
                externalId: EXTERNAL_ID,
              })),
            },
          },
        }),
        catalogServiceMock.factory({ entities: [component('payments-api')] }),
        mockServices.permissions.factory(),
      ],
    });
    server = s;
  });

  afterAll(async () => {
    if (stsEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
    else process.env.AWS_ENDPOINT_URL_STS = stsEndpoint;
    await emulator?.stop();
  });

  it('reads prod through its role, and names the role and account staging cannot assume', async () => {
    const res = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/status')
      .set('Authorization', mockCredentials.user.header('user:default/owner'));
    expect(res.status).toBe(200);
    const [staging, prod] = res.body.environments;

    expect(prod.error).toBeUndefined();
    expect(prod.service).toMatchObject({
      arn: expect.stringContaining(`:${PROD_ACCOUNT}:service/`),
    });
    expect(JSON.stringify(prod.service)).toContain(IMAGE);

    expect(staging.service).toBeUndefined();
    expect(staging.error.message).toContain(
      `arn:aws:iam::${STAGING_ACCOUNT}:role/${ROLE}`,
    );
    expect(staging.error.message).toContain(`account ${STAGING_ACCOUNT}`);
  });

  it('refuses a promotion from staging naming the role and account it cannot assume, changing nothing', async () => {
    const res = await request(server)
      .post(
        '/api/ecs-deploy/entities/component/default/payments-api/promotions',
      )
      .set('Authorization', mockCredentials.user.header('user:default/owner'))
      .send({ from: 'staging', to: 'prod', reason: 'accounts test' });
    // Not a generic 500: staging cannot be read now, the message says why and where.
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain(
      'Cannot read payments-api in staging',
    );
    expect(res.body.error.message).toContain(
      `arn:aws:iam::${STAGING_ACCOUNT}:role/${ROLE}`,
    );
    expect(res.body.error.message).toContain(`account ${STAGING_ACCOUNT}`);
    // prod still runs what it ran.
    const status = await request(server)
      .get('/api/ecs-deploy/entities/component/default/payments-api/status')
      .set('Authorization', mockCredentials.user.header('user:default/owner'));
    expect(JSON.stringify(status.body.environments[1].service)).toContain(
      IMAGE,
    );
  });
});
