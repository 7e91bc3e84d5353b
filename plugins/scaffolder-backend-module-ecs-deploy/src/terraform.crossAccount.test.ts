/*
 * A generated root in another account: prod lives in 222222222222 (its environment and
 * portal-access's Terraform role created there through the emulator's OrganizationAccountAccessRole),
 * the scaffolder renders the prod root with `terraformRole` and the environment's `accountId`, and
 * Terraform applies it from the main account's keys by assuming that role. The service must exist
 * in the prod account only. Skipped (with a message) only when `terraform` is not on PATH.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  DescribeServicesCommand,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import {
  assumeRoleCredentials,
  ecsClient,
  Emulator,
  startEmulator,
  TEST_ACCOUNT,
  TEST_REGION,
} from '@internal/dev-kit';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_VALUES } from './__testUtils__/fixtures';
import {
  describeTf,
  environmentRoot,
  REPO_ROOT,
  renderInto,
  terraformCli,
} from './__testUtils__/terraformCli';

const PROD_ACCOUNT = '222222222222';
const CLUSTER = 'xacct-prod';
const TERRAFORM_ROLE = 'ecs-deploy-terraform';
const EXTERNAL_ID = 'xacct-terraform';
const roleArn = (name: string) => `arn:aws:iam::${PROD_ACCOUNT}:role/${name}`;

/**
 * The prod account's side, applied as its administrator (the emulator's stand-in for AWS
 * Organizations' role): a network, the ecs-environment module and portal-access's roles.
 */
const accountRoot = (endpoint: string) =>
  environmentRoot({
    endpoint,
    cluster: CLUSTER,
    environment: 'prod',
    cidrOctet: 43,
    assumeRoleArn: roleArn('OrganizationAccountAccessRole'),
    extra: `
module "access" {
  source                = "../terraform-modules/portal-access"
  environments          = [{ name = "prod", cluster_arn = "arn:aws:ecs:${TEST_REGION}:${PROD_ACCOUNT}:cluster/${CLUSTER}" }]
  portal_principal_arns = ["arn:aws:iam::${TEST_ACCOUNT}:root"]
  external_id           = "xacct-portal"
  terraform_role        = { name = "${TERRAFORM_ROLE}", principal_arns = ["arn:aws:iam::${TEST_ACCOUNT}:root"], external_id = "${EXTERNAL_ID}" }
}
`,
  });

describeTf('a generated root in the environment’s own account', () => {
  jest.setTimeout(300_000);
  const root = createMockDirectory();
  let emulator: Emulator;
  let endpoint: string;
  let tf: ReturnType<typeof terraformCli>['tf'];
  let timings: string[];

  beforeAll(async () => {
    emulator = await startEmulator();
    endpoint = emulator.endpoint;
    ({ tf, timings } = terraformCli({
      ...process.env,
      // The main account's keys: the roots reach the prod account only through its role.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: TEST_REGION,
      AWS_DEFAULT_REGION: TEST_REGION,
    }));
    await fs.symlink(
      path.join(REPO_ROOT, 'terraform-modules'),
      path.join(root.path, 'terraform-modules'),
    );
    const account = path.join(root.path, 'account');
    await fs.mkdir(account);
    await fs.writeFile(path.join(account, 'main.tf'), accountRoot(endpoint));
    await tf(account, 'init', '-input=false', '-no-color');
    await tf(account, 'apply', '-auto-approve', '-input=false', '-no-color');
  });

  afterAll(async () => {
    await emulator?.stop();
    // eslint-disable-next-line no-console
    console.log(`terraform timings:\n${timings?.join('\n')}`);
  });

  it('assumes the Terraform role of prod, and the service exists only in the prod account', async () => {
    const workspace = await renderInto(
      root.path,
      {
        name: 'xacct-orders',
        owner: 'team-payments',
        description: 'Orders',
        ...SERVICE_VALUES,
        environments: ['prod'],
        desiredCounts: { prod: 1 },
      },
      {
        environments: [
          { name: 'staging', region: TEST_REGION, accountId: TEST_ACCOUNT },
          { name: 'prod', region: TEST_REGION, accountId: PROD_ACCOUNT },
        ],
        terraformRole: { roleName: TERRAFORM_ROLE, externalId: EXTERNAL_ID },
      },
    );
    const prod = path.join(workspace, 'terraform', 'prod');
    const endpointVar = `-var=aws_endpoint=${endpoint}`;
    await tf(prod, 'init', '-input=false', '-no-color');

    // A wrong external ID: Terraform stops before changing anything, naming the role.
    await expect(
      tf(
        prod,
        'plan',
        '-input=false',
        '-no-color',
        endpointVar,
        '-var=aws_external_id=not-the-external-id',
      ),
    ).rejects.toThrow(roleArn(TERRAFORM_ROLE));

    await tf(
      prod,
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      endpointVar,
    );
    try {
      const inProd = ecsClient(
        endpoint,
        TEST_REGION,
        await assumeRoleCredentials({
          endpoint,
          roleArn: roleArn('backstage-ecs-deploy'),
          externalId: 'xacct-portal',
        }),
      );
      const { services } = await inProd.send(
        new DescribeServicesCommand({
          cluster: CLUSTER,
          services: ['xacct-orders'],
        }),
      );
      expect(services).toHaveLength(1);
      expect(services![0]).toMatchObject({
        serviceArn: `arn:aws:ecs:${TEST_REGION}:${PROD_ACCOUNT}:service/${CLUSTER}/xacct-orders`,
        status: 'ACTIVE',
      });

      const { clusterArns } = await ecsClient(endpoint).send(
        new ListClustersCommand({}),
      );
      expect(clusterArns).not.toContainEqual(
        expect.stringContaining(`cluster/${CLUSTER}`),
      );
    } finally {
      await tf(
        prod,
        'destroy',
        '-auto-approve',
        '-input=false',
        '-no-color',
        endpointVar,
      );
    }
  });
});
