/*
 * ECS events as EventBridge delivers them to SQS (the whole event as the message body), read into
 * the service they concern. Pure. Shapes: Amazon ECS Developer Guide, "Amazon ECS task state
 * change events", "… service deployment state change events", "… service action events".
 */
import type { EnvironmentConfig } from '../../config';

/** The detail types the portal follows (terraform-modules/portal-events routes these three). */
export const ECS_EVENT_TYPES = [
  'ECS Deployment State Change',
  'ECS Service Action',
  'ECS Task State Change',
] as const;

/** An ECS event about one service. */
export interface EcsEvent {
  id: string;
  detailType: (typeof ECS_EVENT_TYPES)[number];
  /** `detail.eventName` of deployment and service action events. */
  eventName?: string;
  account: string;
  region: string;
  cluster: string;
  service: string;
  /** The event's `time` (EventBridge's, whole seconds), in ms: the order events are applied in. */
  time: number;
}

/** Why a message is not an event about a service (deleted without a read). */
export interface Ignored {
  ignored: string;
}

type Json = Record<string, any>;

/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>` → cluster and name. */
function serviceFromArn(arn: unknown): { cluster: string; service: string } {
  const m = /^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:service\/([^/]+)\/([^/]+)$/.exec(
    String(arn ?? ''),
  );
  return m ? { cluster: m[1], service: m[2] } : { cluster: '', service: '' };
}

/** The service an event concerns: named in `resources` (deployments, actions) or the task's group. */
function serviceOf(
  type: EcsEvent['detailType'],
  event: Json,
): { cluster: string; service: string } {
  if (type !== 'ECS Task State Change') {
    return serviceFromArn(event.resources?.[0]);
  }
  const group = String(event.detail?.group ?? '');
  const cluster = String(event.detail?.clusterArn ?? '')
    .split(':cluster/')
    .pop();
  return group.startsWith('service:') && cluster
    ? { cluster, service: group.slice('service:'.length) }
    : { cluster: '', service: '' };
}

/** Reads one SQS message body: the event about a service, or why it is ignored. */
export function parseEcsEvent(body: string): EcsEvent | Ignored {
  let event: Json;
  try {
    event = JSON.parse(body);
  } catch {
    return { ignored: 'not JSON' };
  }
  const type = event?.['detail-type'];
  if (event?.source !== 'aws.ecs' || !ECS_EVENT_TYPES.includes(type)) {
    return {
      ignored: `not an ECS service event (${event?.source} / ${type})`,
    };
  }
  const { cluster, service } = serviceOf(type, event);
  if (!service) {
    return { ignored: `${type} ${event.id} names no service of a cluster` };
  }
  const time = Date.parse(event.time);
  if (!event.id || Number.isNaN(time)) {
    return { ignored: `${type} without an id or a time` };
  }
  return {
    id: String(event.id),
    detailType: type,
    eventName: event.detail?.eventName,
    account: String(event.account ?? ''),
    region: String(event.region ?? ''),
    cluster,
    service,
    time,
  };
}

/**
 * The configured environment of an event: its cluster in its region, and its account when the
 * environment names one (an environment without `accountId` is in the portal's own account).
 */
export function environmentOf(
  environments: EnvironmentConfig[],
  event: Pick<EcsEvent, 'account' | 'region' | 'cluster'>,
): EnvironmentConfig | undefined {
  return environments.find(
    env =>
      env.cluster === event.cluster &&
      env.region === event.region &&
      (env.accountId === undefined || env.accountId === event.account),
  );
}
