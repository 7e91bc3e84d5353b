/*
 * One round of measurements of a verification's undecided checks, by phase: the alarms from the
 * start until the window ends, the HTTP check once the revision rolled out, the metrics once the
 * window ended.
 */
import type { VerificationCheck } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';
import { measureAlarms } from './checks/alarms';
import { measureHttp } from './checks/http';
import { measureMetrics } from './checks/metrics';
import { applyAlarm, applyHttp, applyMetric, isDecided } from './decide';
import type { Measurement, VerificationPlan } from './types';

/** Where the verification stands in time. */
export interface Phase {
  now: Date;
  /** When the checks started: alarms count from here. */
  startedAt: Date;
  rolledOutAt?: Date;
  windowEndsAt?: Date;
}

/** Measures what is due and returns the checks moved by it. */
export async function measureChecks(options: {
  plan: VerificationPlan;
  checks: VerificationCheck[];
  phase: Phase;
  env: EnvironmentConfig;
  clients: AwsClients;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}): Promise<VerificationCheck[]> {
  const { plan, phase, env, clients, signal } = options;
  const { now, rolledOutAt, windowEndsAt } = phase;
  const limit = plan.inconclusiveLimit;
  const ended = windowEndsAt !== undefined && now >= windowEndsAt;
  const open = (kind: VerificationCheck['kind']) =>
    options.checks.filter(c => c.kind === kind && !isDecided(c));

  const alarms = open('alarm');
  const alarmMeasurements =
    alarms.length > 0
      ? await measureAlarms(
          await clients.cloudwatch(env),
          alarms.map(c => c.name),
          phase.startedAt,
          signal,
        )
      : new Map<string, Measurement>();

  const http = open('http')[0];
  const httpMeasurement =
    http && plan.http && rolledOutAt
      ? await measureHttp(plan.http, signal, options.fetchImpl)
      : undefined;

  const metrics = open('metric');
  const metricMeasurements =
    metrics.length > 0 && plan.metrics && ended && rolledOutAt
      ? await measureMetrics(
          await clients.cloudwatch(env),
          plan.metrics,
          rolledOutAt,
          windowEndsAt!,
          signal,
        )
      : new Map<string, Measurement>();

  return options.checks.map(check => {
    if (isDecided(check)) return check;
    if (check.kind === 'alarm') {
      const m = alarmMeasurements.get(check.name);
      return m ? applyAlarm(check, m, now, ended, limit) : check;
    }
    if (check.kind === 'http') {
      if (!httpMeasurement || !plan.http || !rolledOutAt) return check;
      const timedOut =
        now.getTime() > rolledOutAt.getTime() + plan.http.timeoutMs;
      return applyHttp(check, httpMeasurement, now, plan.http, limit, timedOut);
    }
    const m = metricMeasurements.get(check.name);
    return m ? applyMetric(check, m, now, limit) : check;
  });
}
