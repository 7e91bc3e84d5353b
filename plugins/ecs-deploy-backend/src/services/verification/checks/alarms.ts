/*
 * The alarm check: any watched CloudWatch alarm in ALARM during the verification (now, or at any
 * moment since it started, as its history says) fails it, naming the alarm, its reason and value.
 */
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { Measurement } from '../types';

/** The kinds of alarms the ecs-service module creates: `<service>-<environment>-<kind>`. */
export const MODULE_ALARM_KINDS = [
  'http-5xx-rate',
  'latency-p95',
  'running-below-desired',
];

/** The newest datapoint an alarm state names (AWS's StateReasonData). */
function datapoint(reasonData?: string): number | undefined {
  try {
    const data = JSON.parse(reasonData ?? '{}') as {
      recentDatapoints?: number[];
    };
    const points = data.recentDatapoints ?? [];
    return points.length > 0 ? points[points.length - 1] : undefined;
  } catch {
    return undefined;
  }
}

function inAlarm(
  alarm: MetricAlarm,
  reason: string,
  reasonData?: string,
  at?: Date,
): Measurement {
  return {
    result: 'failure',
    message: `${alarm.AlarmName} ${
      at ? `went into ALARM at ${at.toISOString()}` : 'is in ALARM'
    }: ${reason}`,
    value: datapoint(reasonData),
    threshold: alarm.Threshold,
  };
}

/** When it went into ALARM since `since`, by its history (undefined: it did not). */
async function alarmSince(
  cloudwatch: CloudWatchClient,
  alarm: MetricAlarm,
  since: Date,
  signal?: AbortSignal,
): Promise<Measurement | undefined> {
  const { AlarmHistoryItems: items = [] } = await cloudwatch.send(
    new DescribeAlarmHistoryCommand({
      AlarmName: alarm.AlarmName,
      HistoryItemType: 'StateUpdate',
      StartDate: since,
      ScanBy: 'TimestampDescending',
      MaxRecords: 50,
    }),
    { abortSignal: signal },
  );
  for (const item of items) {
    const data = JSON.parse(item.HistoryData ?? '{}') as {
      newState?: {
        stateValue?: string;
        stateReason?: string;
        stateReasonData?: unknown;
      };
    };
    if (data.newState?.stateValue === 'ALARM') {
      const reasonData = data.newState.stateReasonData;
      return inAlarm(
        alarm,
        data.newState.stateReason ?? item.HistorySummary ?? 'no reason given',
        typeof reasonData === 'string'
          ? reasonData
          : JSON.stringify(reasonData ?? {}),
        item.Timestamp,
      );
    }
  }
  return undefined;
}

/**
 * One measurement per alarm of `names`: a failure when it is in ALARM or was since `since`;
 * inconclusive when it does not exist or has no data yet; else a success.
 */
export async function measureAlarms(
  cloudwatch: CloudWatchClient,
  names: string[],
  since: Date,
  signal?: AbortSignal,
): Promise<Map<string, Measurement>> {
  const found = new Map<string, MetricAlarm>();
  for (let i = 0; i < names.length; i += 100) {
    const { MetricAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100) }),
      { abortSignal: signal },
    );
    for (const alarm of MetricAlarms) found.set(alarm.AlarmName!, alarm);
  }
  const measured = new Map<string, Measurement>();
  for (const name of names) {
    const alarm = found.get(name);
    if (!alarm) {
      measured.set(name, {
        result: 'inconclusive',
        message: `${name} does not exist in CloudWatch`,
      });
      continue;
    }
    if (alarm.StateValue === 'ALARM') {
      measured.set(
        name,
        inAlarm(alarm, alarm.StateReason ?? '', alarm.StateReasonData),
      );
      continue;
    }
    // Its state changed since the start: was it in ALARM in between?
    const changed =
      alarm.StateUpdatedTimestamp && alarm.StateUpdatedTimestamp >= since;
    const past = changed
      ? await alarmSince(cloudwatch, alarm, since, signal)
      : undefined;
    if (past) {
      measured.set(name, past);
    } else if (alarm.StateValue === 'INSUFFICIENT_DATA') {
      measured.set(name, {
        result: 'inconclusive',
        message: `${name} has insufficient data: ${
          alarm.StateReason ?? ''
        }`.trim(),
        threshold: alarm.Threshold,
      });
    } else {
      measured.set(name, {
        result: 'success',
        message: `${name} is OK`,
        value: datapoint(alarm.StateReasonData),
        threshold: alarm.Threshold,
      });
    }
  }
  return measured;
}

/**
 * The alarms that watch a service: the ecs-service module's by their names
 * (`<service>-<environment>-<kind>`), the service's ECS deployment alarms, and `extra`.
 */
export async function discoverAlarms(
  cloudwatch: CloudWatchClient,
  prefix: string,
  deploymentAlarms: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const { MetricAlarms = [] } = await cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, MaxRecords: 100 }),
    { abortSignal: signal },
  );
  const moduleAlarms = MetricAlarms.map(a => a.AlarmName!).filter(name =>
    MODULE_ALARM_KINDS.includes(name.slice(prefix.length)),
  );
  return [...new Set([...moduleAlarms, ...deploymentAlarms])];
}
