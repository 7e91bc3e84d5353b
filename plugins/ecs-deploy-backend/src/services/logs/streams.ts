/*
 * The awslogs driver's stream names: `<awslogs-stream-prefix>/<container>/<task id>`. Pure.
 */
import type { LogLine } from '@deployment-portal/plugin-ecs-deploy-common';
import type { AwsLogsTarget } from '../status/types';
import type { RawLogEvent } from './types';

/** FilterLogEvents takes at most 100 stream names. */
export const MAX_STREAMS = 100;

/** The log group one read covers: the first awslogs container's, with every container logging there. */
export function logGroupOf(targets: AwsLogsTarget[]) {
  const first = targets[0];
  if (!first) return undefined;
  return {
    group: first.group,
    region: first.region,
    containers: targets.filter(
      t => t.group === first.group && t.region === first.region,
    ),
  };
}

/** The stream of one container of one task. */
export function streamName(target: AwsLogsTarget, taskId: string): string {
  return target.streamPrefix
    ? `${target.streamPrefix}/${target.container}/${taskId}`
    : `${target.container}/${taskId}`;
}

/** What FilterLogEvents should read: the tasks' streams, or every stream of the prefix. */
export function streamSelection(
  containers: AwsLogsTarget[],
  taskIds?: string[],
): { logStreamNames?: string[]; logStreamNamePrefix?: string } {
  if (taskIds) {
    return {
      logStreamNames: taskIds
        .flatMap(id => containers.map(c => streamName(c, id)))
        .slice(0, MAX_STREAMS),
    };
  }
  const prefixes = new Set(containers.map(c => c.streamPrefix ?? ''));
  const [prefix] = [...prefixes];
  return prefixes.size === 1 && prefix
    ? { logStreamNamePrefix: `${prefix}/` }
    : {};
}

/**
 * A line of the contract from an event. Task ids and container names hold no `/` (a stream prefix
 * may), so the last two parts of the stream name are the container and the task.
 */
export function toLogLine(event: RawLogEvent): LogLine {
  const parts = event.stream.split('/');
  return {
    id: event.id,
    timestamp: new Date(event.timestamp).toISOString(),
    taskId: parts[parts.length - 1],
    container: parts.length > 1 ? parts[parts.length - 2] : '',
    message: event.message,
    stream: event.stream,
  };
}
