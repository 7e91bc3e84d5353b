/*
 * Metric analysis: GetMetricData over the verification window of the service's target group,
 * the 5xx share of its requests and its p95 response time against thresholds. Too few requests
 * (or none recorded yet) is insufficient data: inconclusive.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { Measurement, VerificationPlan } from '../types';

export const ERROR_RATE = '5xx rate';
export const LATENCY_P95 = 'p95 latency';

const round = (n: number) => Math.round(n * 100) / 100;

function verdict(inconclusive: boolean, over: boolean): Measurement['result'] {
  if (inconclusive) return 'inconclusive';
  return over ? 'failure' : 'success';
}

/** One measurement per analysed metric over [start, end). */
export async function measureMetrics(
  cloudwatch: CloudWatchClient,
  metrics: NonNullable<VerificationPlan['metrics']>,
  start: Date,
  end: Date,
  signal?: AbortSignal,
): Promise<Map<string, Measurement>> {
  const dimensions = Object.entries(metrics.dimensions).map(
    ([Name, Value]) => ({
      Name,
      Value,
    }),
  );
  // One period over the whole window (CloudWatch periods are multiples of 60 s).
  const period = Math.max(
    60,
    Math.ceil((end.getTime() - start.getTime()) / 60_000) * 60,
  );
  const query = (
    Id: string,
    MetricName: string,
    Stat: string,
  ): MetricDataQuery => ({
    Id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName,
        Dimensions: dimensions,
      },
      Period: period,
      Stat,
    },
  });
  const { MetricDataResults = [] } = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [
        query('errors', 'HTTPCode_Target_5XX_Count', 'Sum'),
        query('requests', 'RequestCount', 'Sum'),
        query('latency', 'TargetResponseTime', 'p95'),
      ],
    }),
    { abortSignal: signal },
  );
  const values = (id: string) =>
    MetricDataResults.find(r => r.Id === id)?.Values ?? [];
  const sum = (id: string) => values(id).reduce((a, b) => a + b, 0);
  const requests = sum('requests');
  const measured = new Map<string, Measurement>();
  const tooFew =
    requests < Math.max(1, metrics.minRequests)
      ? `insufficient data: ${requests} requests between ${start.toISOString()} and ${end.toISOString()} (at least ${
          metrics.minRequests
        } needed)`
      : undefined;
  if (metrics.maxErrorRatePercent !== undefined) {
    const errors = sum('errors');
    const rate = requests > 0 ? round((100 * errors) / requests) : undefined;
    const over = rate !== undefined && rate > metrics.maxErrorRatePercent;
    measured.set(ERROR_RATE, {
      result: verdict(!!tooFew, over),
      message:
        tooFew ??
        `5xx rate ${rate} % (${errors} of ${requests} requests) ${
          over ? '>' : '≤'
        } ${metrics.maxErrorRatePercent} %`,
      value: rate,
      threshold: metrics.maxErrorRatePercent,
      unit: '%',
    });
  }
  if (metrics.maxLatencyP95Ms !== undefined) {
    const points = values('latency');
    const p95 =
      points.length > 0 ? round(Math.max(...points) * 1000) : undefined;
    const over = p95 !== undefined && p95 > metrics.maxLatencyP95Ms;
    measured.set(LATENCY_P95, {
      result: verdict(!!tooFew || p95 === undefined, over),
      message:
        tooFew ??
        (p95 === undefined
          ? 'insufficient data: no response times recorded'
          : `p95 latency ${p95} ms ${over ? '>' : '≤'} ${
              metrics.maxLatencyP95Ms
            } ms`),
      value: p95,
      threshold: metrics.maxLatencyP95Ms,
      unit: 'ms',
    });
  }
  return measured;
}
