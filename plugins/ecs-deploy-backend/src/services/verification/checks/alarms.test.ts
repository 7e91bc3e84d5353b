import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { applyAlarm, decideVerification, describe as say } from '../decide';
import { initialChecks } from '../types';
import { measureAlarms } from './alarms';

const since = new Date('2026-12-07T06:00:00Z');
const at = new Date('2026-12-07T06:01:00Z');

describe('measureAlarms', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  afterEach(() => cloudwatch.reset());

  it('measures each alarm: in ALARM fails with its value, OK succeeds, a missing one is inconclusive naming it', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'api-prod-http-5xx-rate',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 2 out of the last 3 datapoints',
          StateReasonData: JSON.stringify({ recentDatapoints: [40, 100] }),
          Threshold: 5,
        },
        {
          AlarmName: 'api-prod-latency-p95',
          StateValue: 'OK',
          StateUpdatedTimestamp: new Date('2026-12-07T05:00:00Z'),
          Threshold: 1,
        },
      ],
    });
    cloudwatch.on(DescribeAlarmHistoryCommand).rejects(new Error('not asked'));
    const names = [
      'api-prod-http-5xx-rate',
      'api-prod-latency-p95',
      'api-prod-payouts',
    ];
    const measured = await measureAlarms(
      cloudwatch as unknown as CloudWatchClient,
      names,
      since,
    );
    expect(Object.fromEntries(measured)).toEqual({
      'api-prod-http-5xx-rate': {
        result: 'failure',
        message:
          'api-prod-http-5xx-rate is in ALARM: Threshold Crossed: 2 out of the last 3 datapoints',
        value: 100,
        threshold: 5,
      },
      'api-prod-latency-p95': {
        result: 'success',
        message: 'api-prod-latency-p95 is OK',
        value: undefined,
        threshold: 1,
      },
      'api-prod-payouts': {
        result: 'inconclusive',
        message: 'api-prod-payouts does not exist in CloudWatch',
      },
    });

    // What the verification says of a missing alarm once the window ended: the check and why.
    let [check] = initialChecks({
      windowMs: 20_000,
      intervalMs: 2_000,
      inconclusiveLimit: 1,
      alarms: { names: ['api-prod-payouts'] },
    });
    check = applyAlarm(check, measured.get('api-prod-payouts')!, at, true, 1);
    expect(say(check)).toBe(
      'Alarm api-prod-payouts does not exist in CloudWatch',
    );
    expect(decideVerification([check])).toEqual({
      status: 'held',
      message:
        'Inconclusive: Alarm api-prod-payouts does not exist in CloudWatch',
    });
  });
});
