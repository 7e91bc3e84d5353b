/*
 * The backend's parsers against ECS's own words: responses recorded from AWS's documentation and
 * public examples (packages/dev-kit/recorded/ecs, sources in its README), served over HTTP to the
 * real SDK so they are deserialized as in production, then summarized, judged for health and
 * decided on by the follower.
 */
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  Service,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { repoRoot } from '@internal/dev-kit';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { decideRollout } from './followThrough/decideRollout';
import { deriveHealth } from './status/health';
import { toServiceState } from './status/summarize';

const recorded = (file: string) =>
  readFileSync(
    path.join(repoRoot(), 'packages/dev-kit/recorded/ecs', file),
    'utf8',
  );

let server: http.Server;
let ecs: ECSClient;
/** The body the fake endpoint answers next. */
let body = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(body);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  ecs = new ECSClient({
    region: 'us-west-2',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
});

afterAll(async () => {
  ecs.destroy();
  await new Promise(r => server.close(r));
});

async function describeService(file: string): Promise<Service> {
  body = recorded(file);
  const out = await ecs.send(
    new DescribeServicesCommand({ cluster: 'c', services: ['s'] }),
  );
  expect(out.services).toHaveLength(1);
  return out.services![0];
}

/** A task definition for each revision the service names (only its ARN matters here). */
function taskDefinitions(service: Service): Record<string, TaskDefinition> {
  const arns = [
    service.taskDefinition!,
    ...(service.deployments ?? []).map(d => d.taskDefinition!),
  ];
  return Object.fromEntries(
    arns.map(arn => [
      arn,
      {
        taskDefinitionArn: arn,
        family: arn.split('/').pop()!.split(':')[0],
        revision: Number(arn.split(':').pop()),
        containerDefinitions: [{ name: 'app', image: 'ghcr.io/acme/app:1' }],
      },
    ]),
  );
}

const env = {
  name: 'prod',
  title: 'Prod',
  region: 'us-west-2',
  cluster: 'c',
  consoleBaseUrl: 'https://console',
  logLinks: [],
};

function state(service: Service) {
  return toServiceState(
    env,
    { service, taskDefinitions: taskDefinitions(service) },
    new Date().toISOString(),
  );
}

describe('recorded ECS responses', () => {
  it('reads a completed rollout as healthy and rolled out', async () => {
    const service = await describeService('describe-services-completed.json');
    const s = state(service);
    expect(s.summary).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 10,
      runningCount: 10,
      taskDefinition: { family: 'amazon-ecs-sample', revision: 1 },
    });
    expect(s.summary!.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        createdAt: '2016-06-24T20:56:48.595Z',
      }),
    ]);
    expect(s.summary!.events[0].message).toBe(
      '(service my-http-service) has reached a steady state.',
    );
    expect(deriveHealth(s.summary)).toEqual({
      health: 'healthy',
      problems: [],
    });
    const expected = service.taskDefinition!;
    expect(
      decideRollout({
        environment: 'prod',
        expected,
        startedAt: new Date('2016-06-24T20:56:40Z'),
        deadline: new Date('2016-06-24T21:11:40Z'),
        unknownWrite: false,
        read: { state: s },
        now: new Date('2016-06-24T21:00:00Z'),
      }),
    ).toEqual({
      kind: 'rolled-out',
      applied: true,
      message: 'prod runs amazon-ecs-sample:1: 10 of 10 tasks running',
    });
  });

  it('reads a rollout the circuit breaker failed as failed, with its reason, and rolls it back', async () => {
    const service = await describeService('describe-services-failed.json');
    const s = state(service);
    const health = deriveHealth(s.summary);
    expect(health.health).toBe('failed');
    expect(health.problems[0]).toMatchObject({
      code: 'circuit-breaker-tripped',
      severity: 'error',
      message: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(
      decideRollout({
        environment: 'prod',
        expected: service.taskDefinition!,
        startedAt: new Date('2016-03-11T12:00:00Z'),
        deadline: new Date('2016-03-11T12:15:00Z'),
        unknownWrite: false,
        read: { state: s },
        now: new Date('2016-03-11T12:06:00Z'),
      }),
    ).toEqual({
      kind: 'failed',
      applied: true,
      rollBack: true,
      message:
        'The deployment of test-task:2 failed: ECS deployment circuit breaker: tasks failed to start.',
    });
  });

  it('reads a rollout the circuit breaker rolled back as failed, naming ECS’s rollback', async () => {
    const service = await describeService(
      'describe-services-circuit-breaker-rolled-back.json',
    );
    const s = state(service);
    const health = deriveHealth(s.summary);
    expect(health.problems.map(p => p.code)).toContain(
      'circuit-breaker-tripped',
    );
    expect(health.problems[0].message).toMatch(
      /^ECS deployment circuit breaker: tasks failed to start\./,
    );
    // The promotion rolled out test-task:2; ECS now runs test-task:1 again.
    expect(
      decideRollout({
        environment: 'prod',
        expected:
          'arn:aws:ecs:eu-central-1:123456789012:task-definition/test-task:2',
        startedAt: new Date('2016-03-11T12:00:00Z'),
        deadline: new Date('2016-03-11T12:15:00Z'),
        unknownWrite: false,
        read: { state: s },
        now: new Date('2016-03-11T12:07:00Z'),
      }),
    ).toEqual({
      kind: 'failed',
      applied: true,
      rollBack: true,
      message:
        'The deployment of test-task:2 failed: ECS deployment circuit breaker: tasks failed to start.',
    });
  });

  it('reads the stop codes and reasons of stopped tasks into problems naming the task', async () => {
    body = recorded('describe-tasks-stopped.json');
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'c', tasks: ['t'] }),
    );
    expect(tasks?.map(t => [t.lastStatus, t.stopCode])).toEqual([
      ['RUNNING', undefined],
      ['STOPPED', 'TaskFailedToStart'],
      ['STOPPED', 'EssentialContainerExited'],
    ]);
    const service = await describeService('describe-services-failed.json');
    const stopped = tasks!.filter(t => t.lastStatus === 'STOPPED');
    const { problems } = deriveHealth(state(service).summary, stopped);
    expect(problems.find(p => p.code === 'image-pull-error')).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(
        /^CannotPullContainerError: pull image manifest/,
      ),
      taskIds: ['666fdccc2e2d4b6894dd422f4eeee8f8'],
    });
    expect(
      problems.find(p => p.code === 'tasks-failing-to-start'),
    ).toMatchObject({
      message: 'Essential container in task exited',
      taskIds: ['abc123def456abc123def456abc123de'],
    });
  });
});
