// Verification support: target health through ELBv2, the per-service HTTP endpoint, metrics in
// CloudWatch (AWS/ECS, ECS/ContainerInsights, AWS/ApplicationELB) and alarm evaluation, with one
// emulated minute lasting one second.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { registerTaskDefinition, serviceTasks, unique, useEmulator, waitFor, waitForRollout } from './helpers.mjs';
import { client, createLoadBalancedService, createLoadBalancer, serviceRequest } from './network.mjs';

const ctx = useEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
const cloudwatch = () => client(ctx, CloudWatchClient);

async function alarmState(name) {
  const { MetricAlarms } = await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return MetricAlarms[0];
}

const waitForAlarm = (name, state, timeoutMs = 30_000) =>
  waitFor(`alarm ${name} ${state}`, async () => {
    const alarm = await alarmState(name);
    return alarm.StateValue === state ? alarm : false;
  }, { timeoutMs, intervalMs: 200 });

/** A statistic of a metric per emulated minute (1 s here) over the last 30 s. */
async function recentSum(namespace, name, dimensions, stat = 'Sum') {
  const end = new Date(Date.now() + 1000);
  const out = await cloudwatch().send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 30_000),
    EndTime: end,
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: 1, Stat: stat } }],
  }));
  return out.MetricDataResults[0].Values;
}

/** A cluster with Container Insights, an ALB and a COMPLETED service of 2 tasks behind it. */
async function loadBalancedService(image, deploymentConfiguration) {
  const cluster = unique('cluster');
  await ctx.ecs.send(new CreateClusterCommand({ clusterName: cluster, settings: [{ name: 'containerInsights', value: 'enabled' }] }));
  const lb = await createLoadBalancer(ctx);
  const family = unique('web');
  const taskDefinition = await registerTaskDefinition(ctx.ecs, { family, image });
  const name = await createLoadBalancedService(ctx, { cluster, taskDefinition, lb, deploymentConfiguration });
  await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
  return { cluster, name, family, lb, taskDefinition };
}

const deploy = async ({ cluster, name, family }, image) => {
  const taskDefinition = await registerTaskDefinition(ctx.ecs, { family, image });
  await ctx.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition }));
  return taskDefinition;
};

describe('targets, HTTP endpoint and metrics', () => {
  test('targets follow the tasks; the endpoint answers from the image; -errors answers 5xx and shows in the metrics', async () => {
    const svc = await loadBalancedService('ghcr.io/acme/web:1.0.0');
    const { cluster, name, lb } = svc;
    const tasks = await serviceTasks(ctx.ecs, cluster, name);
    const ips = tasks.map(t => t.containers[0].networkInterfaces[0].privateIpv4Address).sort();
    const health = await waitFor('2 healthy targets', async () => {
      const { TargetHealthDescriptions: d } = await lb.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: lb.targetGroupArn }));
      return d.length === 2 && d.every(t => t.TargetHealth.State === 'healthy') ? d : false;
    });
    assert.deepEqual(health.map(t => t.Target.Id).sort(), ips);
    assert.ok(health.every(t => t.Target.Port === 3000));

    const ok = await serviceRequest(ctx, cluster, name);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.image, 'ghcr.io/acme/web:1.0.0');
    assert.ok(tasks.some(t => t.taskArn === ok.body.task));
    assert.equal(ok.body.path, '/api/items');
    // One request a second per serving task: 120 a minute once both run (60 while one or none did).
    const requests = await waitFor('RequestCount 120', async () => {
      const values = await recentSum('AWS/ApplicationELB', 'RequestCount', lb.dimensions);
      return values.includes(120) ? values : false;
    });
    assert.ok(requests.every(v => v === 60 || v === 120), `RequestCount ${requests}`);
    const insights = [{ Name: 'ClusterName', Value: cluster }, { Name: 'ServiceName', Value: name }];
    await waitFor('RunningTaskCount 2', async () => (await recentSum('ECS/ContainerInsights', 'RunningTaskCount', insights, 'Maximum')).includes(2));
    await waitFor('CPUUtilization', async () => (await recentSum('AWS/ECS', 'CPUUtilization', insights, 'Average')).length > 0);

    await deploy(svc, 'ghcr.io/acme/web:1.1.0-errors');
    const draining = await waitFor('old targets draining', async () => {
      const { TargetHealthDescriptions: d } = await lb.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: lb.targetGroupArn }));
      return d.filter(t => ips.includes(t.Target.Id) && t.TargetHealth.State === 'draining').length ? d : false;
    }, { intervalMs: 20 });
    assert.ok(draining.some(t => t.TargetHealth.Reason === 'Target.DeregistrationInProgress'));
    await waitForRollout(ctx.ecs, cluster, name, 'COMPLETED');
    const failing = await serviceRequest(ctx, cluster, name);
    assert.equal(failing.status, 500);
    assert.equal(failing.body.image, 'ghcr.io/acme/web:1.1.0-errors');
    await waitFor('5xx in the metrics', async () => (await recentSum('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', lb.dimensions)).some(v => v > 0));
  });

  test('-slow (pinned to a digest, as a promotion pins it) answers after more than a second; no running task answers 503; an unknown service 404', async () => {
    const svc = await loadBalancedService(`ghcr.io/acme/web:1.0.0-slow@sha256:${'a1'.repeat(32)}`);
    const slow = await serviceRequest(ctx, svc.cluster, svc.name, 'health');
    assert.equal(slow.status, 200);
    assert.ok(slow.ms > 1000, `${slow.ms} ms`);
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: svc.cluster, service: svc.name, desiredCount: 0 }));
    await waitFor('no running task', async () => (await serviceRequest(ctx, svc.cluster, svc.name)).status === 503);
    assert.equal((await serviceRequest(ctx, svc.cluster, 'nope')).status, 404);
  });
});

describe('alarm evaluation', () => {
  test('5xx count, p95 latency and metric-math 5xx rates (the module\'s IF(requests >= N, …, 0) too) go from OK to ALARM when the image turns bad', async () => {
    const svc = await loadBalancedService('ghcr.io/acme/web:1.0.0');
    const base = { Period: 60, EvaluationPeriods: 1, Threshold: 0, TreatMissingData: 'notBreaching' };
    const errors = unique('5xx');
    const latency = unique('p95');
    const rate = unique('rate');
    await cloudwatch().send(new PutMetricAlarmCommand({
      ...base, AlarmName: errors, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: svc.lb.dimensions, Statistic: 'Sum', ComparisonOperator: 'GreaterThanThreshold',
    }));
    await cloudwatch().send(new PutMetricAlarmCommand({
      ...base, AlarmName: latency, Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime',
      Dimensions: svc.lb.dimensions, ExtendedStatistic: 'p95', Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
    const metric = name => ({ Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: svc.lb.dimensions });
    await cloudwatch().send(new PutMetricAlarmCommand({
      AlarmName: rate, EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 10, TreatMissingData: 'missing',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: [
        { Id: 'e', MetricStat: { Metric: metric('HTTPCode_Target_5XX_Count'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'r', MetricStat: { Metric: metric('RequestCount'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'pct', Expression: '100 * e / r', ReturnData: true },
      ],
    }));
    // The ecs-service module's 5xx rate: IF and a comparison, no data treated as not breaching.
    const guarded = unique('guarded-rate');
    await cloudwatch().send(new PutMetricAlarmCommand({
      AlarmName: guarded, EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 10, TreatMissingData: 'notBreaching',
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        { Id: 'errors', MetricStat: { Metric: metric('HTTPCode_Target_5XX_Count'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'requests', MetricStat: { Metric: metric('RequestCount'), Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'result', Expression: 'IF(requests >= 1, 100 * errors / requests, 0)', ReturnData: true },
      ],
    }));
    await waitForAlarm(errors, 'OK');
    await waitForAlarm(latency, 'OK');
    await waitForAlarm(rate, 'OK');
    await waitForAlarm(guarded, 'OK');

    await deploy(svc, 'ghcr.io/acme/web:1.1.0-errors');
    const alarm = await waitForAlarm(errors, 'ALARM');
    assert.match(alarm.StateReason, /^Threshold Crossed: 1 out of the last 1 datapoints \[\d+\] was greater than the threshold \(0\)/);
    await waitForAlarm(rate, 'ALARM');
    await waitForAlarm(guarded, 'ALARM');
    assert.equal((await alarmState(latency)).StateValue, 'OK');

    await deploy(svc, 'ghcr.io/acme/web:1.2.0-slow');
    await waitForAlarm(latency, 'ALARM');
    await waitForAlarm(errors, 'OK');
  });

  test('every state change is in DescribeAlarmHistory with its reason and datapoints; StateReasonData names them too', async () => {
    const svc = await loadBalancedService('ghcr.io/acme/web:1.0.0');
    const name = unique('5xx');
    await cloudwatch().send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: svc.lb.dimensions,
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    await waitForAlarm(name, 'OK');
    const before = new Date();
    await deploy(svc, 'ghcr.io/acme/web:1.1.0-errors');
    const alarm = await waitForAlarm(name, 'ALARM');
    const data = JSON.parse(alarm.StateReasonData);
    assert.equal(data.threshold, 0);
    assert.ok(data.recentDatapoints.length >= 1 && data.recentDatapoints.at(-1) > 0, alarm.StateReasonData);
    assert.ok(alarm.StateUpdatedTimestamp >= before);

    // Back to good: the alarm returns to OK, and its history keeps the ALARM in between.
    await deploy(svc, 'ghcr.io/acme/web:1.2.0');
    await waitForAlarm(name, 'OK');
    const history = async input => (await cloudwatch().send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', ...input }))).AlarmHistoryItems;
    const all = await history({});
    assert.deepEqual(all.map(i => i.HistorySummary), [
      'Alarm updated from ALARM to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from INSUFFICIENT_DATA to OK',
    ], 'newest first');
    const toAlarm = JSON.parse(all[1].HistoryData);
    assert.equal(toAlarm.oldState.stateValue, 'OK');
    assert.equal(toAlarm.newState.stateValue, 'ALARM');
    assert.match(toAlarm.newState.stateReason, /^Threshold Crossed: 1 out of the last 2 datapoints/);
    assert.ok(toAlarm.newState.stateReasonData.recentDatapoints.some(v => v > 0));
    assert.ok(all[1].Timestamp >= before && all[1].Timestamp <= all[0].Timestamp);

    const since = await history({ StartDate: before, ScanBy: 'TimestampAscending' });
    assert.deepEqual(since.map(i => i.HistorySummary), ['Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK']);
    const first = await history({ MaxRecords: 1 });
    assert.equal(first.length, 1);
    assert.deepEqual(await history({ EndDate: new Date(before.getTime() - 60_000), StartDate: new Date(0) }), [], 'nothing before the alarm existed');
    await assert.rejects(history({ MaxRecords: 0 }), /MaxRecords/);
  });

  test('treatMissingData decides for a metric without data; datapointsToAlarm counts breaching periods of put data', async () => {
    const put = async (name, state, treat) => {
      await cloudwatch().send(new PutMetricAlarmCommand({
        AlarmName: name, Namespace: 'Custom', MetricName: unique('none'), Statistic: 'Sum', Period: 60,
        EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: treat,
      }));
      return [name, state];
    };
    const expected = [
      await put(unique('missing'), 'INSUFFICIENT_DATA', 'missing'),
      await put(unique('breaching'), 'ALARM', 'breaching'),
      await put(unique('not-breaching'), 'OK', 'notBreaching'),
    ];
    for (const [name, state] of expected) await waitForAlarm(name, state);
    const ignored = (await put(unique('ignore'), 'INSUFFICIENT_DATA', 'ignore'))[0];
    // Alarms are evaluated in creation order: once one created after it moved, `ignored` was evaluated.
    const [sentinel] = await put(unique('sentinel'), 'OK', 'notBreaching');
    await waitForAlarm(sentinel, 'OK');
    assert.equal((await alarmState(ignored)).StateValue, 'INSUFFICIENT_DATA', 'a new alarm starts INSUFFICIENT_DATA, and ignore keeps it');

    const name = unique('custom');
    await cloudwatch().send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Custom', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: name }],
      Statistic: 'Average', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    await waitForAlarm(name, 'OK');
    const putValue = Value => cloudwatch().send(new PutMetricDataCommand({
      Namespace: 'Custom', MetricData: [{ MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: name }], Value }],
    }));
    await putValue(9);
    await new Promise(resolve => setTimeout(resolve, 1100));
    await putValue(8);
    await waitForAlarm(name, 'ALARM');
  });
});
