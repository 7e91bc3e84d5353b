// Task logs in CloudWatch Logs (moto's logs backend), as the awslogs driver would write them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  LOG_GROUP,
  createCluster,
  createService,
  registerTaskDefinition,
  serviceTasks,
  unique,
  useEmulator,
  waitFor,
  waitForRollout,
} from './helpers.mjs';

const ctx = useEmulator({ rolloutSeconds: 1, env: { ECS_EMULATOR_LOG_INTERVAL_SECONDS: '0.5' } });

const filter = async (input = {}) =>
  (await ctx.logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP, ...input }))).events;

describe('task logs', () => {
  test('a running task writes startup and periodic lines to <prefix>/<container>/<task id>', async () => {
    const started = Date.now();
    const cluster = await createCluster(ctx.ecs);
    const taskDefinition = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:1.4.2' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition });
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const [task] = await serviceTasks(ctx.ecs, cluster, name);
    const stream = `ecs/api/${task.taskArn.split('/').pop()}`;

    const { logGroups } = await ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP }));
    assert.deepEqual(logGroups.map(g => g.logGroupName), [LOG_GROUP], 'the missing group was created');
    const { logStreams } = await ctx.logs.send(new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP }));
    assert.ok(logStreams.some(s => s.logStreamName === stream));

    const lines = await waitFor('a periodic request line', async () => {
      const events = await filter({ logStreamNames: [stream] });
      return events.length >= 3 ? events : false;
    });
    assert.equal(lines[0].message, 'Starting api 1.4.2 on port 3000');
    assert.equal(lines[1].message, 'api listening on 0.0.0.0:3000');
    assert.match(lines[2].message, /^GET \/\S* 200 \d+ms$/);
    for (const line of lines) {
      assert.ok(line.timestamp >= started - 1000 && line.timestamp <= Date.now() + 1000, `timestamp ${line.timestamp} is real ms`);
    }
    const { events } = await ctx.logs.send(
      new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, startFromHead: true }),
    );
    assert.equal(events[0].message, 'Starting api 1.4.2 on port 3000');

    // Replaced by a new deployment: the old task logs its shutdown.
    await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, forceNewDeployment: true }));
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const messages = (await filter({ logStreamNames: [stream] })).map(e => e.message);
    assert.ok(messages.includes('Received SIGTERM, stopping api'), messages.join('\n'));
  });

  test('a broken image logs its pull failure; a container without awslogs writes nothing', async () => {
    const cluster = await createCluster(ctx.ecs);
    const broken = await registerTaskDefinition(ctx.ecs, { family: unique('api'), image: 'ghcr.io/acme/api:9.9.9-broken' });
    const { serviceName: name } = await createService(ctx.ecs, { cluster, taskDefinition: broken });
    const [task] = await waitFor('a failed task', () => serviceTasks(ctx.ecs, cluster, name, 'STOPPED').then(t => t.length && t));
    const stream = `ecs/api/${task.taskArn.split('/').pop()}`;
    const messages = (await filter({ logStreamNames: [stream] })).map(e => e.message);
    assert.deepEqual(messages, ['Pulling image ghcr.io/acme/api:9.9.9-broken', `ERROR ${task.stoppedReason}`]);

    const quietImage = 'ghcr.io/acme/quiet:1.0.0';
    const quiet = await registerTaskDefinition(ctx.ecs, { family: unique('quiet'), image: quietImage, awslogs: false });
    const { serviceName: quietName } = await createService(ctx.ecs, { cluster, taskDefinition: quiet });
    await waitForRollout(ctx.ecs, cluster, quietName, 'COMPLETED');
    const [quietTask] = await serviceTasks(ctx.ecs, cluster, quietName);
    const id = quietTask.taskArn.split('/').pop();
    assert.ok(!(await filter()).some(e => e.logStreamName.endsWith(id)));
  });
});
