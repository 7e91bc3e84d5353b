/*
 * Deployment events and the notifiers that receive them (`ecsDeployNotifierExtensionPoint`), next
 * to the backend's own Backstage notifications and signals. A notifier that fails or hangs is
 * logged; it never fails the write that caused the event.
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  AuditRecord,
  PromotionRequest,
  RolloutOutcome,
  Verification,
  VerificationStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';

/**
 * A promotion or rollback that started or reached its outcome (`record`: its audit row), or a
 * promotion request that changed state (`approved` is followed by the `started` of the promotion
 * it made), a deployment in progress that a person held, continued, aborted or skipped the bake of,
 * or a verification that reached an outcome (or an owner's decision on a held one).
 *
 * @public
 */
export type EcsDeployEvent =
  | {
      subject: 'action';
      kind: 'started' | Exclude<RolloutOutcome, 'in-progress'>;
      record: AuditRecord;
      entity?: Entity;
    }
  | {
      subject: 'verification';
      /** The verification's new status; `continued` and `aborted` carry the owner's decision. */
      kind: Exclude<VerificationStatus, 'running' | 'skipped'>;
      verification: Verification;
      entity?: Entity;
    }
  | {
      subject: 'request';
      kind: 'requested' | 'approved' | 'rejected' | 'withdrawn' | 'stale';
      request: PromotionRequest;
      entity?: Entity;
      /** Who made it happen. */
      actor: string;
    }
  | {
      /** A person held, continued, aborted or skipped the bake of a deployment in progress. */
      subject: 'deployment';
      kind: 'hold' | 'continue' | 'abort' | 'skip-bake';
      record: AuditRecord;
      entity?: Entity;
    };

/** Receives every deployment event (a chat channel, an ITSM, a pager). @public */
export interface EcsDeployNotifier {
  /** Names the notifier in the backend's log when it fails. */
  name: string;
  publish(event: EcsDeployEvent): Promise<void>;
}
