import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeServicesCommand,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  LOCAL_ACCOUNTS,
  PORTAL_ROLE,
  createLocalAccounts,
  portalCredentials,
} from './accounts.ts';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  cloudWatchClient,
  ecsClient,
  stsClient,
} from './aws.ts';
import { startEmulator, type Emulator } from './emulator.ts';
import { startAwsProxy, type AwsProxy } from './awsProxy.ts';

describe('startAwsProxy', () => {
  let upstream: http.Server;
  let proxy: AwsProxy;
  const received: string[] = [];
  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      received.push(String(req.headers['x-amz-target']).split('.').pop()!);
      res.end(JSON.stringify({ served: req.headers['x-amz-target'] }));
    });
    await new Promise<void>(r => upstream.listen(0, '127.0.0.1', r));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startAwsProxy({ target: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise(r => upstream.close(r));
  });

  const call = (action: string) =>
    fetch(proxy.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': `AmazonEC2ContainerServiceV20141113.${action}`,
      },
      body: '{}',
    });

  it('forwards calls and counts them by action', async () => {
    proxy.reset();
    expect(await (await call('DescribeServices')).json()).toEqual({
      served: 'AmazonEC2ContainerServiceV20141113.DescribeServices',
    });
    await call('DescribeServices');
    await call('UpdateService');
    expect(Object.fromEntries(proxy.counts)).toEqual({
      DescribeServices: 2,
      UpdateService: 1,
    });
    expect(proxy.total()).toBe(3);
  });

  it('records the IAM action of SDK calls in each protocol (JSON, query, RPC v2 CBOR)', async () => {
    proxy.reset();
    // The stub's answers are not these services' responses: some calls fail after reaching it.
    const sent = [
      ecsClient(proxy.endpoint).send(
        new DescribeServicesCommand({ cluster: 'c', services: ['s'] }),
      ),
      stsClient(proxy.endpoint).send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111111111111:role/r',
          RoleSessionName: 's',
        }),
      ),
      cloudWatchClient(proxy.endpoint).send(
        new GetMetricDataCommand({
          MetricDataQueries: [],
          StartTime: new Date(0),
          EndTime: new Date(1),
        }),
      ),
    ];
    await Promise.allSettled(sent);
    // Counts include the clients' retries of what failed.
    expect(Object.fromEntries(proxy.actions)).toEqual({
      'ecs:DescribeServices': expect.any(Number),
      'sts:AssumeRole': expect.any(Number),
      'cloudwatch:GetMetricData': expect.any(Number),
    });
    // An unsigned request (the stub calls above) has no IAM action.
    const signed = proxy.actions.get('ecs:DescribeServices');
    await call('DescribeServices');
    expect(proxy.actions.get('ecs:DescribeServices')).toBe(signed);
  });

  it('injects throttling and 5xx for the chosen action only', async () => {
    proxy.setFault({ kind: 'throttle', rate: 1, action: 'UpdateService' });
    const throttled = await call('UpdateService');
    expect(throttled.status).toBe(400);
    expect((await throttled.json()).__type).toBe('ThrottlingException');
    expect((await call('DescribeServices')).status).toBe(200);

    proxy.setFault({ kind: '5xx', rate: 1 });
    expect((await call('DescribeServices')).status).toBe(503);
    proxy.setFault(null);
    expect((await call('DescribeServices')).status).toBe(200);
  });

  it('hangs the chosen action, sending it on to AWS only when asked to (forward)', async () => {
    const answered = (action: string) =>
      Promise.race([
        call(action).then(() => true),
        new Promise(r => setTimeout(() => r(false), 300)),
      ]);
    received.length = 0;
    proxy.setFault({ kind: 'hang', rate: 1, action: 'UpdateService' });
    expect(await answered('UpdateService')).toBe(false);
    expect(received).toEqual([]); // it went nowhere
    proxy.setFault({
      kind: 'hang',
      rate: 1,
      action: 'UpdateService',
      forward: true,
    });
    expect(await answered('UpdateService')).toBe(false);
    for (let i = 0; i < 50 && received.length === 0; i++) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(received).toEqual(['UpdateService']); // applied upstream, its answer lost
    proxy.setFault(null);
  });
});

describe('startAwsProxy in front of the emulator', () => {
  let emulator: Emulator;
  let proxy: AwsProxy;
  beforeAll(async () => {
    emulator = await startEmulator();
    await createLocalAccounts(emulator.endpoint);
    proxy = await startAwsProxy({ target: emulator.endpoint });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

  it("records each call's caller: the assumed role and its account, or the main account", async () => {
    const staging = await portalCredentials(proxy.endpoint, 'staging');
    await ecsClient(proxy.endpoint, TEST_REGION, staging).send(
      new ListClustersCommand({}),
    );
    await ecsClient(proxy.endpoint).send(new ListClustersCommand({}));
    expect(
      proxy.calls().sort((a, b) => a.action.localeCompare(b.action)),
    ).toEqual([
      {
        account: LOCAL_ACCOUNTS.staging,
        role: PORTAL_ROLE.roleName,
        action: 'ecs:ListClusters',
        count: 1,
      },
      { account: TEST_ACCOUNT, action: 'ecs:ListClusters', count: 1 },
      { account: TEST_ACCOUNT, action: 'sts:AssumeRole', count: 1 },
    ]);
  });
});
