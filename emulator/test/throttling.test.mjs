// ECS API throttling: token buckets per account and action category, ThrottlingException as the
// SDK expects it, counters at GET /_emulator/throttling, rates overridable, and off when asked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  ECSClient,
  ListClustersCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { emulatorServer, startEmulator } from '@internal/dev-kit';
import { REGION } from './helpers.mjs';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function useThrottledEmulator(env, throttling) {
  const ctx = {};
  before(async () => {
    ctx.emulator = await startEmulator({ rolloutSeconds: 1, env, throttling });
    ctx.ecs = (maxAttempts = 1) => new ECSClient({ endpoint: ctx.emulator.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts });
    ctx.counters = async () => (await fetch(`${ctx.emulator.endpoint}/_emulator/throttling`)).json();
    ctx.reset = async () => (await fetch(`${ctx.emulator.endpoint}/_emulator/throttling/reset`, { method: 'POST' })).json();
  });
  after(() => ctx.emulator?.stop());
  return ctx;
}

describe('throttling on, cluster reads at 5 burst / 1 per second', () => {
  // Task definition reads refill one token per 10 s: a sixth call finds the bucket empty however
  // slowly a loaded machine makes the first five.
  const ctx = useThrottledEmulator({ ECS_EMULATOR_THROTTLING_RATES: 'cluster-read=5/1,task-definition-read=5/0.1' });

  test('a burst past the bucket is answered ThrottlingException (HTTP 400); counters per account and action', async () => {
    await ctx.reset();
    const ecs = ctx.ecs();
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => ecs.send(new ListClustersCommand({})).then(() => 'ok', e => e)),
    );
    const refills = Math.floor((performance.now() - started) / 1000);
    const errors = outcomes.filter(o => o !== 'ok');
    const allowed = outcomes.length - errors.length;
    assert.ok(allowed >= 5 && allowed <= 5 + refills, `${allowed} allowed: the burst of 5 and one a second (${refills} s)`);
    assert.ok(errors.length > 0);
    for (const error of errors) {
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.message, 'Rate exceeded');
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.equal(error.$response.headers['x-amzn-errortype'], 'ThrottlingException');
    }
    const counters = await ctx.counters();
    assert.equal(counters.enabled, true);
    assert.deepEqual(counters.accounts['123456789012'].ListClusters, { allowed, throttled: errors.length });
    assert.equal(counters.throttled, errors.length);
    assert.deepEqual(counters.limits['cluster-read'], { burst: 5, sustained: 1 });
    assert.deepEqual(counters.limits['service-read'], { burst: 100, sustained: 20 }, 'the documented rate elsewhere');
  });

  test('the category shares one bucket; the SDK\'s standard retry gets through, the counters show the throttled tries', async () => {
    await ctx.reset();
    // Up to 10 attempts: the SDK's backoff (up to 20 s a try) outlasts the 10 s refill.
    const ecs = ctx.ecs(10);
    for (let i = 0; i < 5; i++) await ecs.send(new ListTaskDefinitionsCommand({}));
    // The sixth of the category: empty bucket, retried after a backoff until a token comes.
    await ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    const counters = (await ctx.counters()).accounts['123456789012'];
    assert.equal(counters.ListTaskDefinitions.allowed, 5);
    assert.equal(counters.ListTaskDefinitionFamilies.allowed, 1);
    assert.ok(counters.ListTaskDefinitionFamilies.throttled >= 1, JSON.stringify(counters));
  });

  test('/moto-api/reset refills the buckets and zeroes the counters', async () => {
    assert.ok((await ctx.counters()).throttled > 0);
    await ctx.emulator.reset();
    assert.equal((await ctx.counters()).throttled, 0);
    const ecs = ctx.ecs();
    for (let i = 0; i < 5; i++) await ecs.send(new ListClustersCommand({}));
    assert.deepEqual((await ctx.counters()).accounts['123456789012'].ListClusters, { allowed: 5, throttled: 0 });
  });
});

describe('throttling off', () => {
  const ctx = useThrottledEmulator({ ECS_EMULATOR_THROTTLING_RATES: 'cluster-read=1/1' }, false);

  test('nothing is throttled; calls are still counted', async () => {
    const ecs = ctx.ecs();
    await Promise.all(Array.from({ length: 10 }, () => ecs.send(new ListClustersCommand({}))));
    const counters = await ctx.counters();
    assert.equal(counters.enabled, false);
    assert.deepEqual(counters.accounts['123456789012'].ListClusters, { allowed: 10, throttled: 0 });
  });
});

describe('settings', () => {
  const run = env => spawnSync(process.env.EMULATOR_PYTHON ?? 'python3', [emulatorServer(), '-p', '1'], {
    // Python and moto's imports take seconds, many more on a loaded machine.
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000,
  });

  test('an unknown category or a malformed rate stops the start with one line naming it', () => {
    const unknown = run({ ECS_EMULATOR_THROTTLING_RATES: 'service-reads=1/1' });
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr.trim(), /^error: ECS_EMULATOR_THROTTLING_RATES: unknown categories \['service-reads'\]; known: cluster-modify, /);
    const malformed = run({ ECS_EMULATOR_THROTTLING_RATES: 'service-read=fast' });
    assert.match(malformed.stderr.trim(), /^error: ECS_EMULATOR_THROTTLING_RATES: 'service-read=fast' is not <category>=<burst>\/<rate per second>$/);
    const switchValue = run({ ECS_EMULATOR_THROTTLING: 'maybe' });
    assert.match(switchValue.stderr.trim(), /^error: ECS_EMULATOR_THROTTLING='maybe' must be on or off$/);
  });
});
