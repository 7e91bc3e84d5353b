import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AuditRecord,
  ecsDeploySignalChannel,
  EcsDeploySignal,
  PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ownersOf } from '../catalog/owners';
import type { DeploymentEvent, DeploymentNotifier } from './types';
import { verificationText } from './verificationText';

/** The actor of the backend's own actions (automatic rollbacks). */
export const SYSTEM_ACTOR = 'system';

/** `/catalog/default/component/payments-api/deployments`: the entity's Deployments tab. */
export function deploymentsLink(entityRef: string): string {
  const ref = parseEntityRef(entityRef);
  return `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase('en-US')}/${
    ref.name
  }/deployments`;
}

const nameOf = (entityRef: string) => parseEntityRef(entityRef).name;
const seconds = (ms?: number) =>
  ms === undefined ? '' : ` after ${Math.round(ms / 1000)} s`;

/** What the notification says about an action: title, description, severity. */
function actionText(
  kind: Extract<DeploymentEvent, { subject: 'action' }>['kind'],
  r: AuditRecord,
): { title: string; description: string; severity: NotificationSeverity } {
  const name = nameOf(r.entityRef);
  const what =
    r.action === 'promote'
      ? `Promotion of ${name} from ${r.fromEnvironment} to ${r.toEnvironment}`
      : `Rollback of ${name} in ${r.toEnvironment}`;
  const by = r.actor === SYSTEM_ACTOR ? 'the portal (automatic)' : r.actor;
  switch (kind) {
    case 'started':
      return {
        title: `${what} ${r.requestId ? 'approved and ' : ''}started`,
        description: `By ${by}${r.reason ? `: ${r.reason}` : ''}. ${
          r.message ?? ''
        }`.trim(),
        severity: 'low',
      };
    case 'rolled-out':
      return {
        title: `${what} rolled out`,
        description: `${r.outcomeMessage ?? ''}${seconds(r.durationMs)}.`,
        severity: 'normal',
      };
    case 'failed':
      return {
        title: `${what} failed`,
        description: r.outcomeMessage ?? 'The rollout failed.',
        severity: 'high',
      };
    default:
      return {
        title: `${what} rolled back automatically`,
        description: r.outcomeMessage ?? 'The rollout failed.',
        severity: 'high',
      };
  }
}

function requestText(
  kind: Extract<DeploymentEvent, { subject: 'request' }>['kind'],
  r: PromotionRequest,
  actor: string,
): { title: string; description: string; severity: NotificationSeverity } {
  const what = `promotion of ${nameOf(r.entityRef)} from ${r.from} to ${r.to}`;
  if (kind === 'requested') {
    return {
      title: `Approval requested: ${what}`,
      description: `${r.requester} asks: ${r.reason}. Another owner or an admin approves or rejects it in the Deployments tab.`,
      severity: 'normal',
    };
  }
  if (kind === 'stale') {
    return {
      title: `Request again: the ${what} is stale`,
      description: r.message ?? '',
      severity: 'normal',
    };
  }
  return {
    title: `The ${what} was ${kind} by ${actor}`,
    description: r.decisionReason ?? '',
    severity: 'normal',
  };
}

/** A hold, continue, abort or skipped bake of a deployment in progress. */
type ControlKind = Extract<DeploymentEvent, { subject: 'deployment' }>['kind'];

const CONTROL_DONE: Record<ControlKind, string> = {
  hold: 'was held',
  continue: 'was continued',
  abort: 'was aborted (rolling back)',
  'skip-bake': 'skipped its bake',
};

/** What the notification says about a hold, continue or skipped bake. */
function deploymentText(
  kind: ControlKind,
  r: AuditRecord,
): { title: string; description: string; severity: NotificationSeverity } {
  const what = `The deployment of ${nameOf(r.entityRef)} in ${r.toEnvironment}`;
  const done = CONTROL_DONE[kind];
  return {
    title: `${what} ${done} by ${r.actor}`,
    description: `${r.message ?? ''}${r.reason ? ` Reason: ${r.reason}` : ''}`,
    severity: kind === 'hold' || kind === 'abort' ? 'high' : 'normal',
  };
}

/**
 * {@link DeploymentNotifier} on Backstage notifications (to the entity's owners and the person
 * concerned) and signals (a broadcast on the entity's channel and its owners', so open pages and
 * team views refetch). Never fails the caller: a notification that cannot be sent is logged.
 */
export class DefaultDeploymentNotifier implements DeploymentNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  async publish(event: DeploymentEvent): Promise<void> {
    let entityRef: string;
    if (event.subject === 'request') entityRef = event.request.entityRef;
    else if (event.subject === 'verification') {
      entityRef = event.verification.entityRef;
    } else entityRef = event.record.entityRef;
    const owners = event.entity ? ownersOf(event.entity) : [];
    let text;
    let people: string[];
    let exclude: string | undefined;
    let signal: EcsDeploySignal;
    if (event.subject === 'action') {
      const { record, kind } = event;
      text = actionText(kind, record);
      people = [record.actor];
      // Whoever clicked knows it started; the outcome is news to them too.
      exclude = kind === 'started' ? record.actor : undefined;
      signal = {
        entityRef,
        subject: 'promotion',
        state: kind,
        id: record.id,
      };
    } else if (event.subject === 'verification') {
      const { verification, kind } = event;
      text = verificationText(event);
      // Whoever promoted or asked hears of it; whoever decided on a hold knows already.
      people = [verification.requestedBy];
      exclude = verification.resolution?.by;
      signal = {
        entityRef,
        subject: 'verification',
        state: kind,
        id: verification.id,
      };
    } else if (event.subject === 'deployment') {
      const { record, kind } = event;
      text = deploymentText(kind, record);
      people = [];
      exclude = record.actor;
      signal = {
        entityRef,
        subject: 'deployment',
        state: kind,
        id: record.id,
      };
    } else {
      const { request, kind, actor } = event;
      text = requestText(kind, request, actor);
      people = [request.requester];
      exclude = actor;
      signal = { entityRef, subject: 'request', state: kind, id: request.id };
    }
    const recipients = [...new Set([...owners, ...people])].filter(
      ref => ref !== SYSTEM_ACTOR && ref !== exclude,
    );
    // An approval is told by the promotion it starts ("approved and started"): no second one.
    const notify = !(event.subject === 'request' && event.kind === 'approved');
    await Promise.all([
      notify &&
        recipients.length > 0 &&
        this.options.notifications
          .send({
            recipients: {
              type: 'entity',
              entityRef: recipients,
              ...(exclude && { excludeEntityRef: exclude }),
            },
            payload: {
              ...text,
              link: deploymentsLink(entityRef),
              topic: 'ECS deployments',
            },
          })
          .catch(e => this.failed('notification', text.title, e)),
      // The entity's channel (its pages) and its owners' (their team views).
      ...[entityRef, ...owners].map(ref =>
        this.options.signals
          .publish<EcsDeploySignal>({
            recipients: { type: 'broadcast' },
            channel: ecsDeploySignalChannel(ref),
            message: signal,
          })
          .catch(e => this.failed('signal', text.title, e)),
      ),
    ]);
  }

  private failed(what: string, title: string, error: Error) {
    this.options.logger.warn(
      `Could not send the ${what} '${title}': ${error.message}`,
    );
  }
}
