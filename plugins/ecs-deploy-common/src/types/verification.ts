/*
 * Verification: after a promotion, and after a deployment the portal noticed (CI's deploys to
 * staging), the backend watches the service (CloudWatch alarms, HTTP checks, metric analysis)
 * and says whether the new revision works.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`;
 * every date is an ISO-8601 string.
 */
import type { EcsServiceRef } from './audit';

/**
 * Where a verification stands.
 * - `running`: the deployment rolls out or its checks are being measured.
 * - `verified`: every check passed.
 * - `failed`: a check failed (`message` names it); a promotion is rolled back automatically
 *   when its path says so.
 * - `held`: inconclusive (a check could not measure, or reached its inconclusive limit); waits
 *   for an owner to continue or abort.
 * - `continued`: held, then accepted by an owner.
 * - `aborted`: held, then aborted by an owner (a promotion is rolled back).
 * - `cancelled`: the deployment did not complete or was replaced before it was verified.
 * - `skipped`: nothing to check (no alarm, HTTP check or load balancer metric applies).
 *
 * The three outcomes: verified; failed; inconclusive = held, continued or aborted.
 *
 * @public
 */
export type VerificationStatus =
  | 'running'
  | 'verified'
  | 'failed'
  | 'held'
  | 'continued'
  | 'aborted'
  | 'cancelled'
  | 'skipped';

/** What started a verification. @public */
export type VerificationTrigger = 'promotion' | 'deployment' | 'reverify';

/** The kinds of checks. @public */
export type VerificationCheckKind = 'alarm' | 'http' | 'metric';

/** @public */
export type VerificationCheckStatus =
  | 'pending'
  | 'running'
  | 'passed'
  | 'failed'
  | 'inconclusive';

/** One check of a verification, with what it measured. @public */
export interface VerificationCheck {
  kind: VerificationCheckKind;
  /** The alarm's name, the HTTP check's URL, or the metric (`5xx rate`, `p95 latency`). */
  name: string;
  status: VerificationCheckStatus;
  /** The last measurement, in words (an alarm's state reason, an HTTP answer). */
  message?: string;
  /** The measured value (a rate in %, a latency in ms, an HTTP status, an alarm's datapoint). */
  value?: number;
  /** The threshold the value was compared with. */
  threshold?: number;
  /** `%`, `ms`, `status`, or the alarm's unit when known. */
  unit?: string;
  /** Measurements taken, failed and inconclusive; `successes`: consecutive (HTTP). */
  measurements: number;
  failures: number;
  inconclusive: number;
  successes: number;
  measuredAt?: string;
}

/** An owner's decision on a held (inconclusive) verification. @public */
export interface VerificationResolution {
  decision: 'continue' | 'abort';
  by: string;
  at: string;
  reason?: string;
}

/** One verification of one revision of one environment's service. @public */
export interface Verification {
  id: string;
  entityRef: string;
  environment: string;
  targetService: EcsServiceRef;
  /** The task definition revision verified. */
  taskDefinition: string;
  /** The ECS deployment verified (deployments the portal noticed). */
  deploymentId?: string;
  trigger: VerificationTrigger;
  /** The audit row of the promotion verified, or of the re-verify request. */
  auditId?: string;
  /** Who asked: `system` for promotions and noticed deployments, the owner for a re-verify. */
  requestedBy: string;
  status: VerificationStatus;
  /** Why it ended so: the failed check and its value, what made it inconclusive, … */
  message?: string;
  checks: VerificationCheck[];
  createdAt: string;
  /** When the revision was rolled out: the verification window starts. */
  rolledOutAt?: string;
  /** When the alarms stop being watched and the metrics are analysed. */
  windowEndsAt?: string;
  finishedAt?: string;
  resolution?: VerificationResolution;
  /** The rollback that answered a failed or aborted verification. */
  rollback?: { auditId?: string; message: string };
  /** The caller may continue or abort it (held) or verify the environment again. */
  canResolve?: boolean;
}

/** `GET …/verifications` @public */
export interface VerificationList {
  items: Verification[];
  /** The caller may re-verify (an owner or an admin). */
  canReverify: boolean;
}
