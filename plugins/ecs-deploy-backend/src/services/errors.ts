/*
 * The plugin's own errors, in one place. Each extends a `@backstage/errors` type, so the
 * framework's error handler answers with its status and a JSON body naming what went wrong.
 */
import {
  ConflictError,
  CustomErrorBase,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  GateVerdict,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** A guard refusal: a 409 whose message says why; audited as `rejected`. */
export class GuardError extends ConflictError {
  constructor(readonly guard: GuardResult) {
    super(guard.message);
  }
}

/**
 * One or more promotion gates blocked the promotion: a 409 naming each (`<gate>: <message>`),
 * audited as rejected with every gate's verdict.
 */
export class GateBlockedError extends GuardError {
  constructor(blockers: GuardResult[], readonly verdicts: GateVerdict[]) {
    super({
      code: 'gate',
      gate: blockers[0].gate,
      message: blockers.map(b => b.message).join('; '),
    });
  }
}

/** A call (or several sharing one deadline) that did not finish in time: a 503. */
export class DeadlineExceededError extends ServiceUnavailableError {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${Math.round(ms / 100) / 10} s`);
  }
}

/**
 * A write whose result AWS may or may not have applied: the request was cut off by the deadline.
 * Reported to the caller as such (503); the history records `unknown` until it is known.
 */
export class OutcomeUnknownError extends ServiceUnavailableError {
  constructor(message: string, readonly newTaskDefinition: string) {
    super(message);
  }
}

/** A caller read more often than allowed: HTTP 429. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}
