/*
 * Pure mapping of what ECS returns into the plain-JSON shapes the API returns and the cache
 * keeps. No I/O here.
 */
import type { ScalableTarget } from '@aws-sdk/client-application-auto-scaling';
import { Deployment, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import {
  ContainerImage,
  DeploymentInfo,
  describeImage,
  ECS_DEPLOY_TAGS,
  RolloutState,
  ServiceSummary,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EnvironmentConfig } from '../../config';
import type { ServiceRead } from '../aws/types';
import type { ServiceState } from './types';
import { awsLogsTargets } from './links';

const MAX_EVENTS = 20;

/** `arn:…:task-definition/family:3` or `family:3` → { family, revision }. */
export function parseTaskDefinitionRef(
  value: string,
  td?: TaskDefinition,
): TaskDefinitionRef {
  if (td?.taskDefinitionArn && td.family && td.revision) {
    return {
      arn: td.taskDefinitionArn,
      family: td.family,
      revision: td.revision,
    };
  }
  const tail = value.split('/').pop() ?? value;
  const [family, revision] = tail.split(':');
  return { arn: value, family, revision: Number(revision) || 0 };
}

/** The image of each container of a task definition. */
export function imagesOf(td?: TaskDefinition): ContainerImage[] {
  return (td?.containerDefinitions ?? []).map(c =>
    describeImage(c.name ?? '', c.image ?? ''),
  );
}

const iso = (d?: Date | string) =>
  d === undefined ? undefined : new Date(d).toISOString();

function toDeployment(
  d: Deployment,
  taskDefinitions: Record<string, TaskDefinition>,
): DeploymentInfo {
  const td = d.taskDefinition ? taskDefinitions[d.taskDefinition] : undefined;
  return {
    id: d.id ?? '',
    status: d.status ?? 'UNKNOWN',
    taskDefinition: parseTaskDefinitionRef(d.taskDefinition ?? '', td),
    images: imagesOf(td),
    rolloutState: d.rolloutState as RolloutState | undefined,
    rolloutStateReason: d.rolloutStateReason,
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

/** The plain-JSON summary of an ECS service. */
export function summarizeService(
  service: Service,
  taskDefinitions: Record<string, TaskDefinition>,
  scalableTarget?: ScalableTarget,
): ServiceSummary {
  const current = service.taskDefinition
    ? taskDefinitions[service.taskDefinition]
    : undefined;
  const deployments = (service.deployments ?? []).map(d =>
    toDeployment(d, taskDefinitions),
  );
  const primary = deployments.find(d => d.status === 'PRIMARY');
  return {
    arn: service.serviceArn ?? '',
    name: service.serviceName ?? '',
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: parseTaskDefinitionRef(
      service.taskDefinition ?? '',
      current,
    ),
    images: imagesOf(current),
    rolloutState: primary?.rolloutState,
    rolloutStateReason: primary?.rolloutStateReason,
    deployments,
    events: (service.events ?? []).slice(0, MAX_EVENTS).map(e => ({
      id: e.id ?? '',
      createdAt: iso(e.createdAt),
      message: e.message ?? '',
    })),
    lastDeploymentAt: primary?.updatedAt ?? primary?.createdAt,
    autoscaling: scalableTarget && {
      minCapacity: scalableTarget.MinCapacity ?? 0,
      maxCapacity: scalableTarget.MaxCapacity ?? 0,
      suspended: Object.values(scalableTarget.SuspendedState ?? {}).some(
        Boolean,
      ),
    },
  };
}

/** What the cache keeps of one service read. */
export function toServiceState(
  env: EnvironmentConfig,
  read: ServiceRead,
  fetchedAt: string,
): ServiceState {
  const { service, taskDefinitions, scalableTarget } = read;
  const tag = (key: string) => service?.tags?.find(t => t.key === key)?.value;
  const current = service?.taskDefinition
    ? taskDefinitions[service.taskDefinition]
    : undefined;
  const state: ServiceState = {
    summary: service
      ? summarizeService(service, taskDefinitions, scalableTarget)
      : undefined,
    logTargets: awsLogsTargets(current, env),
    imageParameterPrefix: tag(ECS_DEPLOY_TAGS.imageParameterPrefix),
    entityRefTag: tag(ECS_DEPLOY_TAGS.entityRef),
    loadBalancers: service?.loadBalancers?.map(lb => ({
      targetGroupArn: lb.targetGroupArn,
      containerName: lb.containerName,
      containerPort: lb.containerPort,
    })),
    fetchedAt,
  };
  return JSON.parse(JSON.stringify(state));
}
