/*
 * The verification domain: what a verification checks (its plan), what a check measures, the
 * stored verification the runner works on, and the service the router calls.
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  ReverifyRequest,
  Verification,
  VerificationCheck,
  VerificationDecisionBody,
  VerificationList,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { HttpCheckSettings } from '../../config';
import type { Caller } from '../catalog/types';

/** The dimensions of a load balancer target group's metrics. */
export interface TargetGroupDimensions {
  TargetGroup: string;
  LoadBalancer: string;
}

/**
 * What one verification checks, resolved once (config, annotations, the service) and stored with
 * it, so a change of configuration does not change a verification under way.
 */
export interface VerificationPlan {
  windowMs: number;
  intervalMs: number;
  inconclusiveLimit: number;
  /** Alarm names to watch (one that does not exist is inconclusive). */
  alarms?: { names: string[] };
  /** The HTTP check, its URL rendered. */
  http?: Omit<HttpCheckSettings, 'urlTemplate'> & { url: string };
  metrics?: {
    dimensions: TargetGroupDimensions;
    maxErrorRatePercent?: number;
    maxLatencyP95Ms?: number;
    minRequests: number;
  };
}

/** One measurement of a check. */
export interface Measurement {
  result: 'success' | 'failure' | 'inconclusive';
  message: string;
  value?: number;
  threshold?: number;
  unit?: string;
}

/** A verification as the runner keeps it. */
export interface StoredVerification extends Verification {
  plan?: VerificationPlan;
  autoRollback: boolean;
  rolloutDeadlineAt: string;
  nextCheckAt?: string;
  /** The rollback of a failed verification: still to do, done, or given up. */
  rollbackState?: 'pending' | 'done' | 'failed';
  rollbackAttempts: number;
}

/** A verification to start. */
export type NewVerification = Pick<
  Verification,
  | 'entityRef'
  | 'environment'
  | 'targetService'
  | 'taskDefinition'
  | 'deploymentId'
  | 'trigger'
  | 'auditId'
  | 'requestedBy'
> & {
  /** One verification per key: `audit:<id>`, `deployment:<service>:<id>`, `reverify:<id>`. */
  dedupeKey: string;
  autoRollback: boolean;
  /** The deployment must be rolled out by then, else the verification is cancelled. */
  rolloutDeadlineAt: Date;
};

/** What a step of the runner changes. */
export type VerificationPatch = Partial<
  Pick<
    StoredVerification,
    | 'status'
    | 'message'
    | 'checks'
    | 'plan'
    | 'rolledOutAt'
    | 'windowEndsAt'
    | 'finishedAt'
    | 'nextCheckAt'
    | 'rollbackState'
    | 'rollbackAttempts'
    | 'rollback'
  >
>;

/** The checks of a plan, none measured yet. */
export function initialChecks(plan: VerificationPlan): VerificationCheck[] {
  const blank = {
    status: 'pending' as const,
    measurements: 0,
    failures: 0,
    inconclusive: 0,
    successes: 0,
  };
  return [
    ...(plan.alarms?.names ?? []).map(name => ({
      ...blank,
      kind: 'alarm' as const,
      name,
    })),
    ...(plan.http
      ? [{ ...blank, kind: 'http' as const, name: plan.http.url }]
      : []),
    ...(plan.metrics?.maxErrorRatePercent !== undefined
      ? [{ ...blank, kind: 'metric' as const, name: '5xx rate' }]
      : []),
    ...(plan.metrics?.maxLatencyP95Ms !== undefined
      ? [{ ...blank, kind: 'metric' as const, name: 'p95 latency' }]
      : []),
  ];
}

/** Verifications over HTTP: list, verify again, continue or abort a held one. */
export interface VerificationService {
  list(
    entity: Entity,
    query: { environment?: string; limit: number },
    caller: Caller,
  ): Promise<VerificationList>;
  reverify(
    entity: Entity,
    request: ReverifyRequest,
    caller: Caller,
  ): Promise<Verification>;
  resolve(
    entity: Entity,
    id: string,
    decision: 'continue' | 'abort',
    body: VerificationDecisionBody,
    caller: Caller,
  ): Promise<Verification>;
}
