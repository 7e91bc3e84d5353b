/*
 * Promotion and rollback: guards, previews, outcomes, approval requests.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { AuditRecord } from './audit';
import type { DefinitionDifferences, PreflightResult } from './preflight';
import type { ContainerImage, TaskDefinitionRef } from './status';

/** @public */
export interface FreezeWindowInfo {
  name: string;
  environments: string[];
  /** Open now until this time. */
  endsAt: string;
  reason?: string;
}

/** A guard that would refuse the action, evaluated before the user confirms. @public */
export interface GuardResult {
  code:
    | 'source-not-healthy'
    | 'source-rolling-out'
    | 'already-running'
    | 'target-changed'
    | 'in-flight'
    | 'freeze-window'
    | 'no-previous-revision'
    | 'not-deployed'
    | 'not-permitted'
    | 'not-owned'
    | 'soak-time'
    | 'approval-required'
    | 'request-pending'
    | 'stale-request'
    | 'environment-unreadable'
    | 'verification-running'
    | 'verification-failed'
    | 'preflight'
    | 'gate';
  message: string;
  /** What to do about it (pre-flight checks). */
  fix?: string;
  /** The promotion gate that refuses (code `gate`): its name. */
  gate?: string;
}

/** What a promotion would change, for the dialog. @public */
export interface PromotionPreview {
  entityRef: string;
  from: string;
  to: string;
  source?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  target?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  changes: Array<{ container: string; from?: string; to: string }>;
  blockers: GuardResult[];
  /** What the promotion gates warn about without refusing (code `gate`, naming the gate). */
  warnings?: GuardResult[];
  /** The caller may promote directly, now. */
  allowed: boolean;
  /** The path requires an approval: a direct promotion is refused (`approval-required`). */
  approval?: PromotionApprovalPreview;
  /** The path's soak time, when it has one. */
  soak?: SoakStatus;
  /** The caller (an admin) may promote through the open freeze window with an override reason. */
  canOverrideFreeze?: boolean;
  /**
   * The pre-flight checks of the target (image digest, task roles, log group, secrets, target
   * group port); each blocking one is also a `preflight` blocker.
   */
  preflight?: PreflightResult[];
  /** What differs beyond the images; the promotion leaves all of it as the target has it. */
  differences?: DefinitionDifferences;
}

/** What the caller may do on a path that requires an approval. @public */
export interface PromotionApprovalPreview {
  required: true;
  /** The caller may request the promotion now (see `requestBlockers`). */
  canRequest: boolean;
  /** What refuses a request by the caller now. */
  requestBlockers: GuardResult[];
  /** The request waiting for a decision, if any. */
  pending?: PromotionRequest;
}

/** How long the source has run its images, against the path's soak time. @public */
export interface SoakStatus {
  minSourceAgeMinutes: number;
  /** When the source's current deployment completed (or started), if known. */
  sourceSince?: string;
  /** Whole minutes left; 0 when the images have soaked long enough. */
  remainingMinutes: number;
}

/** What a rollback would change. @public */
export interface RollbackPreview {
  entityRef: string;
  environment: string;
  current?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  previous?: { taskDefinition: TaskDefinitionRef; images: ContainerImage[] };
  blockers: GuardResult[];
  allowed: boolean;
}

/** The answer of a promotion or rollback. @public */
export interface ActionOutcome {
  audit: AuditRecord;
  taskDefinition: TaskDefinitionRef;
  images: ContainerImage[];
}

/**
 * `pending` until decided or expired; `stale` when the source or target moved on since the
 * request (request again). @public
 */
export type PromotionRequestState =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'expired'
  | 'stale';

/** A request to promote, waiting for another owner or an admin to approve it. @public */
export interface PromotionRequest {
  id: string;
  entityRef: string;
  from: string;
  to: string;
  /** The source's images at request time, pinned to digests: exactly what approval promotes. */
  images: ContainerImage[];
  sourceTaskDefinition: string;
  /** The target's task definition the request replaces. */
  targetTaskDefinition: string;
  requester: string;
  reason: string;
  /** The change ticket the promotion carries out, checked by the gates at approval. */
  changeTicket?: string;
  state: PromotionRequestState;
  /** Why it went stale, or what the decision said. */
  message?: string;
  createdAt: string;
  expiresAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** The promotion's audit row, once approved. */
  auditId?: string;
  /** The caller may approve or reject it (permitted, not its requester, pending). */
  canDecide?: boolean;
}

/** `GET …/promotion-requests` @public */
export interface PromotionRequestList {
  items: PromotionRequest[];
}

/** The answer of an approval: the request as approved, and the promotion it started. @public */
export interface PromotionRequestDecision {
  request: PromotionRequest;
  outcome?: ActionOutcome;
}
