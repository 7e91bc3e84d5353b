/*
 * The sections of the event-driven status path: ECS events from SQS (`ecsDeploy.events`) and the
 * warm index (`ecsDeploy.index`).
 */
import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type { EventQueueConfig, EventsConfig, IndexConfig } from './types';

/** What a queue URL looks like: `https://sqs.<region>.amazonaws.com/<account>/<name>` (or the emulator's). */
const QUEUE_URL = /^https?:\/\/[^/]+\/(\d{12})\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

function readQueue(section: Section, i: number): EventQueueConfig {
  const queue = section.config.getConfigArray('queues')[i];
  const key = section.key(`queues[${i}]`);
  const queueUrl = queue.getString('queueUrl');
  const match = QUEUE_URL.exec(queueUrl);
  if (!match) {
    throw new InputError(
      `${key}.queueUrl must be an SQS queue URL like https://sqs.eu-west-1.amazonaws.com/111111111111/ecs-deploy-events, got '${queueUrl}'`,
    );
  }
  const accountId = queue.getOptionalString('accountId');
  if (accountId !== undefined && accountId !== match[1]) {
    throw new InputError(
      `${key}.accountId '${accountId}' is not the account of the queue URL (${match[1]})`,
    );
  }
  return {
    queueUrl,
    region: queue.getString('region'),
    accountId,
    endpoint: queue.getOptionalString('endpoint') || undefined,
  };
}

/**
 * `ecsDeploy.events`: undefined without queues (status by polling alone). A long poll waits at
 * most 20 s (SQS's limit); the consumer's claim must outlast one receive and the reads it causes.
 */
export function readEventsConfig(
  root: Section,
  readDeadlineMs: number,
): EventsConfig | undefined {
  const events = root.child('events');
  const count = events.config.getOptionalConfigArray('queues')?.length ?? 0;
  if (count === 0) return undefined;
  const queues = Array.from({ length: count }, (_, i) => readQueue(events, i));
  if (new Set(queues.map(q => q.queueUrl)).size !== queues.length) {
    throw new InputError(`${events.key('queues')} lists a queue twice`);
  }
  const waitMs = events.duration('waitTime', 10_000, undefined, {
    allowZero: true,
  });
  if (waitMs > 20_000 || waitMs % 1000 !== 0) {
    throw new InputError(
      `${events.key('waitTime')} must be whole seconds from 0 to 20 (SQS long polling), got ${waitMs} ms`,
    );
  }
  const visibilityMs = events.duration('visibilityTimeout', 60_000);
  if (visibilityMs % 1000 !== 0 || visibilityMs > 12 * 3_600_000) {
    throw new InputError(
      `${events.key('visibilityTimeout')} must be whole seconds up to 12 hours, got ${visibilityMs} ms`,
    );
  }
  const minimumClaimMs = waitMs + readDeadlineMs;
  const claimTtlMs = events.duration('claimTtl', minimumClaimMs + 5_000);
  if (claimTtlMs <= minimumClaimMs) {
    throw new InputError(
      `${events.key('claimTtl')} must be longer than waitTime plus aws.readDeadline (${minimumClaimMs} ms), got ${claimTtlMs} ms`,
    );
  }
  return {
    queues,
    statusTtlMs: events.duration('statusTtl', 5 * 60_000),
    waitTimeSeconds: waitMs / 1000,
    visibilityTimeoutSeconds: visibilityMs / 1000,
    receiveBatches: events.number('receiveBatches', 3, 10),
    claimTtlMs,
    missedChangeGraceMs: events.duration('missedChangeGrace', 60_000),
  };
}

/** `ecsDeploy.index`: on by default when events are configured. */
export function readIndexConfig(
  root: Section,
  eventsConfigured: boolean,
): IndexConfig {
  const index = root.child('index');
  return {
    enabled: index.config.getOptionalBoolean('enabled') ?? eventsConfigured,
    intervalMs: index.duration('interval', 60_000),
    callsPerSecond: index.number('callsPerSecond', 5),
  };
}
