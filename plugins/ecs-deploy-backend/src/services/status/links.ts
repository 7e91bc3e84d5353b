import { TaskDefinition } from '@aws-sdk/client-ecs';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { LogLink } from '@deployment-portal/plugin-ecs-deploy-common';
import { EnvironmentConfig } from '../../config';
import type { AwsLogsTarget } from './types';

export function awsLogsTargets(
  td: TaskDefinition | undefined,
  env: EnvironmentConfig,
): AwsLogsTarget[] {
  return (td?.containerDefinitions ?? []).flatMap(c => {
    const log = c.logConfiguration;
    const group = log?.options?.['awslogs-group'];
    if (log?.logDriver !== 'awslogs' || !group) {
      return [];
    }
    return [
      {
        container: c.name ?? '',
        group,
        region: log.options?.['awslogs-region'] ?? env.region,
        streamPrefix: log.options?.['awslogs-stream-prefix'],
      },
    ];
  });
}

/** CloudWatch console fragments escape `%` as `$25` after URL-encoding. */
const cwEscape = (value: string) =>
  encodeURIComponent(value).replace(/%/g, '$25');

function consoleBase(env: EnvironmentConfig, region: string) {
  return env.consoleBaseUrl.replace(env.region, region);
}

/** CloudWatch log group (or, with a task id, log stream) link; no CloudWatch API call. */
export function cloudWatchLink(
  env: EnvironmentConfig,
  target: AwsLogsTarget,
  taskId?: string,
): LogLink {
  const base = `${consoleBase(env, target.region)}/cloudwatch/home?region=${
    target.region
  }#logsV2:log-groups/log-group/${cwEscape(target.group)}`;
  if (taskId && target.streamPrefix) {
    const stream = `${target.streamPrefix}/${target.container}/${taskId}`;
    return {
      title: `CloudWatch: ${target.container} in task ${taskId.slice(0, 8)}`,
      url: `${base}/log-events/${cwEscape(stream)}`,
      kind: 'cloudwatch',
    };
  }
  return {
    title: `CloudWatch: ${target.group}`,
    url: base,
    kind: 'cloudwatch',
  };
}

export function consoleLink(env: EnvironmentConfig, serviceName: string) {
  return `${env.consoleBaseUrl}/ecs/v2/clusters/${encodeURIComponent(
    env.cluster,
  )}/services/${encodeURIComponent(serviceName)}/health?region=${env.region}`;
}

/** Configured log-link templates with {placeholders} replaced by URL-encoded values. */
export function templateLinks(
  env: EnvironmentConfig,
  serviceName: string,
  entity: CompoundEntityRef,
  logGroup: string | undefined,
): LogLink[] {
  const values: Record<string, string> = {
    service: serviceName,
    environment: env.name,
    cluster: env.cluster,
    region: env.region,
    logGroup: logGroup ?? '',
    entityName: entity.name,
    entityNamespace: entity.namespace,
    entityKind: entity.kind,
  };
  return env.logLinks.map(({ title, urlTemplate }) => ({
    title,
    kind: 'template' as const,
    url: urlTemplate.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key in values ? encodeURIComponent(values[key]) : whole,
    ),
  }));
}
