/*
 * What changed, and who is told: the notifier interface every channel implements (Backstage
 * notifications and signals today; chat or e-mail notifiers sit beside them).
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  AuditRecord,
  PromotionRequest,
  RolloutOutcome,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** A promotion, rollback or promotion request that changed state. */
export type DeploymentEvent =
  | {
      subject: 'action';
      kind: 'started' | Exclude<RolloutOutcome, 'in-progress'>;
      record: AuditRecord;
      entity?: Entity;
    }
  | {
      subject: 'request';
      kind: 'requested' | 'rejected' | 'withdrawn' | 'stale';
      request: PromotionRequest;
      entity?: Entity;
      /** Who made it happen (not notified). */
      actor: string;
    };

/** Tells the people concerned (notifications) and open pages (signals) what changed. */
export interface DeploymentNotifier {
  publish(event: DeploymentEvent): Promise<void>;
}
