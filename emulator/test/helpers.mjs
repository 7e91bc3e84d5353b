// Shared by the emulator's tests: a private emulator per test file, SDK clients, and small
// helpers to register task definitions, create services and wait for a state.
import { after, before } from 'node:test';
import { createHash } from 'node:crypto';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { ecsClient, eventually, logsClient, startEmulator } from '@internal/dev-kit';

export const REGION = 'eu-west-1';
export const LOG_GROUP = '/ecs/test/api';

/**
 * Starts an emulator before the file's tests and stops it after them.
 * Returns a context whose fields are set once `before` ran.
 */
export function useEmulator(options = { rolloutSeconds: 1 }) {
  const ctx = {};
  before(async () => {
    ctx.emulator = await startEmulator(options);
    ctx.ecs = ecsClient(ctx.emulator.endpoint, REGION);
    ctx.logs = logsClient(ctx.emulator.endpoint, REGION);
  });
  after(async () => {
    await ctx.emulator?.stop();
  });
  return ctx;
}

let counter = 0;
/** A name no other test of the same emulator uses. */
export const unique = prefix => `${prefix}-${++counter}`;

export const sha256 = text => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export async function createCluster(ecs, name = unique('cluster')) {
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  return name;
}

/**
 * A Fargate task definition of one container `api` on port 3000 logging to `logGroup` (LOG_GROUP),
 * which the awslogs driver creates when missing unless `createGroup` is false.
 */
export async function registerTaskDefinition(
  ecs,
  { family = 'api', image, awslogs = true, healthCheck, logGroup = LOG_GROUP, createGroup = true } = {},
) {
  const container = { name: 'api', image, essential: true, portMappings: [{ containerPort: 3000 }] };
  if (awslogs) {
    container.logConfiguration = {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': logGroup,
        'awslogs-region': REGION,
        'awslogs-stream-prefix': 'ecs',
        ...(createGroup && { 'awslogs-create-group': 'true' }),
      },
    };
  }
  if (healthCheck) container.healthCheck = { command: ['CMD-SHELL', 'curl -f localhost:3000/health'] };
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [container],
    }),
  );
  return out.taskDefinition.taskDefinitionArn;
}

/** A Fargate service; `circuitBreaker` is { enable, rollback } or undefined for ECS's default. */
export async function createService(ecs, { cluster, name = unique('svc'), taskDefinition, desiredCount = 1, circuitBreaker, extra = {} }) {
  const out = await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition,
      desiredCount,
      launchType: 'FARGATE',
      ...(circuitBreaker && {
        deploymentConfiguration: { deploymentCircuitBreaker: circuitBreaker, maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
      ...extra,
    }),
  );
  return out.service;
}

export async function describeService(ecs, cluster, name) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  return out.services[0];
}

/** The service's tasks with the given desired status (ECS's default: RUNNING), described. */
export async function serviceTasks(ecs, cluster, serviceName, desiredStatus) {
  const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus }));
  if (taskArns.length === 0) return [];
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  return out.tasks;
}

/** Polls `probe` until it returns a truthy value (every 100 ms, for 15 s unless told). */
export const waitFor = (what, probe, { timeoutMs = 15_000, intervalMs = 100 } = {}) =>
  eventually(what, probe, { timeoutMs, intervalMs });

/** Waits until the service's PRIMARY deployment has the rollout state and returns the service. */
export function waitForRollout(ecs, cluster, name, state, options) {
  return waitFor(
    `${name} rollout ${state}`,
    async () => {
      const service = await describeService(ecs, cluster, name);
      return service.deployments[0]?.rolloutState === state ? service : false;
    },
    options,
  );
}

export const messages = service => service.events.map(e => e.message);

/** The newest service deployment of a service, described (DescribeServiceDeployments). */
export async function latestServiceDeployment(ecs, cluster, service) {
  const { serviceDeployments } = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  const out = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeployments[0].serviceDeploymentArn] }),
  );
  return out.serviceDeployments[0];
}
