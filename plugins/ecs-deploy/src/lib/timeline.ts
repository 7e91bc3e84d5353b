import {
  imageVersion,
  type AuditRecord,
  type EnvironmentStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { StatusKind } from '../components/HealthStatus';
import { actorName, formatTaskDefinition } from './format';
import { rolloutReason } from './rollout';

/** One entry of an environment's timeline. */
export interface TimelineItem {
  id: string;
  /** ISO time; undated items go last. */
  at?: string;
  /** Where it comes from, shown as a word: "Deployment", "ECS event", "Promotion", "Rollback". */
  source: string;
  status: StatusKind;
  text: string;
  detail?: string;
}

const RESULT_WORDS: Record<AuditRecord['result'], string> = {
  started: 'started',
  succeeded: 'succeeded',
  failed: 'failed',
  denied: 'denied',
  rejected: 'refused',
  unknown: 'outcome unknown',
};

const RESULT_STATUS: Record<AuditRecord['result'], StatusKind> = {
  started: 'pending',
  succeeded: 'ok',
  failed: 'error',
  denied: 'aborted',
  rejected: 'aborted',
  unknown: 'warning',
};

const PROBLEM_EVENT =
  /unable|failed|error|unhealthy|stopped|cannot|insufficient|rolling back/i;

function deploymentItems(status: EnvironmentStatus): TimelineItem[] {
  return (status.service?.deployments ?? []).flatMap(d => {
    const revision = formatTaskDefinition(d.taskDefinition);
    const images = d.images.map(imageVersion).join(', ');
    const items: TimelineItem[] = [
      {
        id: `deployment:${d.id}:created`,
        at: d.createdAt,
        source: 'Deployment',
        status: 'pending',
        text: `Deployment of ${revision} started${
          images ? ` (${images})` : ''
        }`,
      },
    ];
    if (d.rolloutState === 'COMPLETED' || d.rolloutState === 'FAILED') {
      const failed = d.rolloutState === 'FAILED';
      const reason = rolloutReason(d.rolloutStateReason);
      items.push({
        id: `deployment:${d.id}:${d.rolloutState}`,
        at: d.updatedAt,
        source: 'Deployment',
        status: failed ? 'error' : 'ok',
        text: `Deployment of ${revision} ${failed ? 'failed' : 'completed'}${
          failed && reason ? `: ${reason}` : ''
        }`,
      });
    }
    return items;
  });
}

function eventItems(status: EnvironmentStatus): TimelineItem[] {
  const prefix = `(service ${status.serviceName}) `;
  return (status.service?.events ?? []).map(e => ({
    id: `event:${e.id}`,
    at: e.createdAt,
    source: 'ECS event',
    status: PROBLEM_EVENT.test(e.message) ? 'warning' : 'ok',
    text: e.message.startsWith(prefix)
      ? `Service ${e.message.slice(prefix.length)}`
      : e.message,
  }));
}

const OUTCOME: Record<
  NonNullable<AuditRecord['outcome']>,
  { words: string; status: StatusKind }
> = {
  'in-progress': { words: 'rolling out', status: 'pending' },
  'rolled-out': { words: 'rolled out', status: 'ok' },
  failed: { words: 'failed', status: 'error' },
  'rolled-back-automatically': {
    words: 'failed and was rolled back automatically',
    status: 'error',
  },
};

/** What a record did, in words: "Promotion from staging by alice", "Rollback by bob", … */
function describeAction(r: AuditRecord): { source: string; text: string } {
  const actor = actorName(r.actor);
  const from = r.fromEnvironment ?? '?';
  switch (r.action) {
    case 'promote':
      return {
        source: 'Promotion',
        text: `Promotion from ${from} by ${actor}`,
      };
    case 'rollback':
      return {
        source: 'Rollback',
        text: r.causedBy ? 'Automatic rollback' : `Rollback by ${actor}`,
      };
    case 'request-promotion':
      return {
        source: 'Request',
        text: `Promotion from ${from} requested by ${actor}`,
      };
    case 'reject-promotion':
      return {
        source: 'Request',
        text: `Promotion request from ${from} rejected by ${actor}`,
      };
    case 'reverify':
      return { source: 'Verification', text: `Verified again by ${actor}` };
    case 'continue-verification':
      return {
        source: 'Verification',
        text: `Held verification continued by ${actor}`,
      };
    case 'abort-verification':
      return {
        source: 'Verification',
        text: `Held verification aborted by ${actor}`,
      };
    case 'hold':
      return { source: 'Control', text: `Deployment held by ${actor}` };
    case 'continue':
      return { source: 'Control', text: `Deployment continued by ${actor}` };
    case 'abort':
      return { source: 'Control', text: `Deployment aborted by ${actor}` };
    case 'skip-bake':
      return { source: 'Control', text: `Bake skipped by ${actor}` };
    default:
      return { source: 'History', text: `${r.action} by ${actor}` };
  }
}

/** Actions whose text says what was done: a success needs no "succeeded" after it. */
const SAID_DONE: AuditRecord['action'][] = [
  'request-promotion',
  'reject-promotion',
  'reverify',
  'continue-verification',
  'abort-verification',
  'hold',
  'continue',
  'abort',
  'skip-bake',
];

function historyItems(
  environment: string,
  history: AuditRecord[],
): TimelineItem[] {
  return history
    .filter(r => r.toEnvironment === environment)
    .map(r => {
      const { source, text } = describeAction(r);
      // Once AWS accepted the action, its outcome says how the rollout ended.
      const outcome = r.outcome && OUTCOME[r.outcome];
      // A request, a decision or a control that was recorded needs no "succeeded".
      const said = SAID_DONE.includes(r.action);
      const images = r.newImages.map(imageVersion).join(', ');
      const details = [
        images && `to ${images}`,
        r.reason && `reason: ${r.reason}`,
        r.freezeOverride && `freeze window overridden: ${r.freezeOverride}`,
        r.outcomeMessage ?? r.message,
      ].filter(Boolean);
      return {
        id: `audit:${r.id}`,
        at: r.outcomeAt ?? r.finishedAt ?? r.createdAt,
        source,
        status: outcome?.status ?? RESULT_STATUS[r.result] ?? 'aborted',
        text: `${text}${
          said && r.result === 'succeeded'
            ? ''
            : ` ${outcome?.words ?? RESULT_WORDS[r.result] ?? r.result}`
        }`,
        detail: details.length ? details.join('; ') : undefined,
      };
    });
}

/**
 * One environment's deployments, ECS service events and our promotions and rollbacks into it,
 * merged, newest first.
 */
export function timelineItems(
  status: EnvironmentStatus,
  history: AuditRecord[],
): TimelineItem[] {
  const time = (item: TimelineItem) =>
    item.at ? new Date(item.at).getTime() || 0 : 0;
  return [
    ...deploymentItems(status),
    ...eventItems(status),
    ...historyItems(status.environment, history),
  ].sort((a, b) => time(b) - time(a));
}
