import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AuditRecord,
  ecsDeploySignalChannel,
  EcsDeploySignal,
  PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { DeploymentEvent, DeploymentNotifier } from './types';

/** The actor of the backend's own actions (automatic rollbacks). */
export const SYSTEM_ACTOR = 'system';

/** The entity's owners: its ownedBy relations, else its spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  const owner = entity.spec?.owner;
  if (related.length > 0 || typeof owner !== 'string') return related;
  return [
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  ];
}

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
    const entityRef =
      event.subject === 'action'
        ? event.record.entityRef
        : event.request.entityRef;
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
    await Promise.all([
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
