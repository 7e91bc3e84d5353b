/*
 * The one write envelope of promotions, rollbacks and promotion requests, as a straight sequence:
 * permission → lock → prepare (fresh reads, proof of ownership, guards) → audit start → execute →
 * audit finish. Everything after the permission runs within the write deadline; a refusal at any
 * step before the start is audited (denied, rejected or failed) and thrown.
 */
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import { deadline } from '../aws/deadline';
import { GateBlockedError } from '../errors';
import type { AuditAttempt, AuditTrail, DeploymentLock } from './types';

/**
 * How long past the deadline an execution may take to stop on its signal and say what it left
 * behind (failed, or unknown once the change was sent) before the caller is answered anyway.
 */
const SETTLE_MS = 2_000;

/** How an error thrown before the action started is recorded. */
function refusalResult(error: unknown): 'denied' | 'rejected' | 'failed' {
  if (error instanceof NotAllowedError) return 'denied';
  if (error instanceof ConflictError) return 'rejected';
  return 'failed';
}

/**
 * Audits a refusal (denied for a 403, rejected for a 409, failed otherwise), with the gates'
 * verdicts when gates refused, and throws it.
 */
export async function refuse(
  audit: AuditTrail,
  attempt: AuditAttempt,
  error: unknown,
): Promise<never> {
  const gates = error instanceof GateBlockedError ? error.verdicts : undefined;
  await audit.refuse(
    gates ? { ...attempt, gates } : attempt,
    refusalResult(error),
    error as Error,
  );
  throw error;
}

/** A started action's audit, finished once the execution settled. */
export interface AuditedStart<R, O> {
  finish(result: R): Promise<O>;
  fail(error: Error): Promise<void>;
}

/** One write, step by step. */
export interface Write<P, R, O> {
  /** The audit row's subject. */
  attempt: AuditAttempt;
  /** The ECS service whose lock the write holds. */
  service: EcsServiceRef;
  /** Named in the 503 when the deadline passes. */
  what: string;
  /** What refuses the caller before anything is read; undefined when allowed. */
  authorize?: () => Promise<Error | undefined>;
  /** Fresh reads and guards under the lock; throws a refusal. */
  prepare(signal: AbortSignal): Promise<P>;
  /** Writes the audit start (what the action replaces). */
  start(prepared: P): Promise<AuditedStart<R, O>>;
  /** The change itself. */
  execute(prepared: P, signal: AbortSignal): Promise<R>;
}

export interface WriteDeps {
  audit: AuditTrail;
  lock: DeploymentLock;
  deadlineMs: number;
}

/** Runs a write: see the file's comment. */
export async function runWrite<P, R, O>(
  deps: WriteDeps,
  write: Write<P, R, O>,
): Promise<O> {
  const { audit, lock } = deps;
  const refusal = await write.authorize?.();
  if (refusal) await refuse(audit, write.attempt, refusal);
  const { signal, within } = deadline(deps.deadlineMs, write.what);
  const acquiring = lock.acquire(write.service);
  const lease = await within(acquiring).catch(error => {
    // Taken after the deadline passed: given back at once.
    acquiring.then(late => late.release()).catch(() => {});
    return refuse(audit, write.attempt, error);
  });
  try {
    const prepared = await within(write.prepare(signal)).catch(error =>
      refuse(audit, write.attempt, error),
    );
    const started = await write.start(prepared);
    const settle = deadline(deps.deadlineMs + SETTLE_MS, write.what);
    const result = await settle
      .within(write.execute(prepared, signal))
      .catch(async error => {
        await started.fail(error);
        throw error;
      });
    return await started.finish(result);
  } finally {
    await lease.release();
  }
}
