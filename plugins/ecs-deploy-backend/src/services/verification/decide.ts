/*
 * How measurements move checks, and checks a verification: pure functions, no I/O. The runner
 * measures, asks these, and stores what they answer.
 */
import type {
  VerificationCheck,
  VerificationStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { Measurement, VerificationPlan } from './types';

const ENDED = ['passed', 'failed', 'inconclusive'];

/** The check is decided (passed, failed or inconclusive). */
export const isDecided = (check: VerificationCheck) =>
  ENDED.includes(check.status);

function measured(
  check: VerificationCheck,
  m: Measurement,
  at: Date,
): VerificationCheck {
  return {
    ...check,
    status: 'running',
    message: m.message,
    value: m.value,
    threshold: m.threshold,
    unit: m.unit,
    measurements: check.measurements + 1,
    failures: check.failures + (m.result === 'failure' ? 1 : 0),
    inconclusive: check.inconclusive + (m.result === 'inconclusive' ? 1 : 0),
    measuredAt: at.toISOString(),
  };
}

/** Inconclusive once `limit` measurements were. */
const overLimit = (check: VerificationCheck, limit: number) =>
  check.inconclusive >= Math.max(1, limit);

/**
 * An alarm: failed as soon as it is (or was) in ALARM. While the window lasts nothing else
 * decides it; at its end (`final`) OK passes it, and no data counts towards the inconclusive
 * limit.
 */
export function applyAlarm(
  check: VerificationCheck,
  m: Measurement,
  at: Date,
  final: boolean,
  inconclusiveLimit: number,
): VerificationCheck {
  const next = measured(check, m, at);
  if (m.result === 'failure') return { ...next, status: 'failed' };
  if (!final) {
    // Before the end, no data yet is not held against it.
    return { ...next, inconclusive: check.inconclusive };
  }
  if (m.result === 'success') return { ...next, status: 'passed' };
  return overLimit(next, inconclusiveLimit)
    ? { ...next, status: 'inconclusive' }
    : next;
}

/**
 * The HTTP check: passed after `successes` consecutive successes; failed after more than
 * `failureLimit` wrong answers; inconclusive at the inconclusive limit, or when its time is up
 * without a wrong answer (failed when there was one).
 */
export function applyHttp(
  check: VerificationCheck,
  m: Measurement,
  at: Date,
  http: NonNullable<VerificationPlan['http']>,
  inconclusiveLimit: number,
  timedOut: boolean,
): VerificationCheck {
  const next = {
    ...measured(check, m, at),
    successes: m.result === 'success' ? check.successes + 1 : 0,
  };
  if (next.successes >= http.successes) return { ...next, status: 'passed' };
  if (next.failures > http.failureLimit) return { ...next, status: 'failed' };
  if (overLimit(next, inconclusiveLimit)) {
    return { ...next, status: 'inconclusive' };
  }
  if (timedOut) {
    return {
      ...next,
      status: next.failures > 0 ? 'failed' : 'inconclusive',
      message: `${next.successes} of ${
        http.successes
      } consecutive successes within ${Math.round(
        http.timeoutMs / 1000,
      )} s; last: ${m.message}`,
    };
  }
  return next;
}

/** A metric, analysed once the window ended: a crossed threshold fails it, no data may. */
export function applyMetric(
  check: VerificationCheck,
  m: Measurement,
  at: Date,
  inconclusiveLimit: number,
): VerificationCheck {
  const next = measured(check, m, at);
  if (m.result === 'success') return { ...next, status: 'passed' };
  if (m.result === 'failure') return { ...next, status: 'failed' };
  return overLimit(next, inconclusiveLimit)
    ? { ...next, status: 'inconclusive' }
    : next;
}

/** Where the checks leave the verification, and why. */
export function decideVerification(checks: VerificationCheck[]): {
  status: Extract<
    VerificationStatus,
    'running' | 'verified' | 'failed' | 'held'
  >;
  message?: string;
} {
  const failed = checks.find(c => c.status === 'failed');
  if (failed) {
    return { status: 'failed', message: describe(failed) };
  }
  if (!checks.every(isDecided)) return { status: 'running' };
  const inconclusive = checks.filter(c => c.status === 'inconclusive');
  if (inconclusive.length > 0) {
    return {
      status: 'held',
      message: `Inconclusive: ${inconclusive.map(describe).join('; ')}`,
    };
  }
  return {
    status: 'verified',
    message: `Every check passed: ${checks.map(c => passedText(c)).join('; ')}`,
  };
}

const LABEL = {
  alarm: 'Alarm',
  http: 'HTTP check:',
  metric: 'Metric analysis:',
};

/** `Alarm payments-api-prod-http-5xx-rate is in ALARM: …`: the check and what it measured. */
export function describe(check: VerificationCheck): string {
  return `${LABEL[check.kind]} ${
    check.message ?? `${check.name} ${check.status}`
  }`;
}

function passedText(check: VerificationCheck): string {
  if (check.kind === 'alarm') return `${check.name} OK`;
  if (check.kind === 'http') {
    return `HTTP ${check.value ?? ''} ${check.successes}× in a row`.replace(
      '  ',
      ' ',
    );
  }
  return check.message ?? check.name;
}
