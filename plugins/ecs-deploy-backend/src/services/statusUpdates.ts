import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type { EcsDeployConfig } from '../config';
import type { LockStore } from '../database/LockStore';
import { createCallPace } from './aws/ecsRateLimit';
import { LocalChangeBus, RedisChangeBus } from './changes/changeBus';
import { followChanges, StatusAnnouncer } from './changes/StatusAnnouncer';
import { EcsEventConsumer } from './events/EcsEventConsumer';
import { EventMarks } from './events/eventMarks';
import { MissedChanges } from './events/missedChanges';
import { QueueClaims } from './events/queueClaims';
import { QueueConsumers, RUN_MS } from './events/QueueConsumers';
import { SqsEventQueue } from './events/SqsEventQueue';
import type { createReadPath } from './readPath';
import type { SharedRedis } from './sharedRedis';
import { WarmIndex } from './warmIndex/WarmIndex';

/** How long a quiet service's last applied event is remembered (longer than SQS keeps messages). */
const MARK_TTL_MS = 14 * 24 * 3_600_000;

/**
 * What keeps the statuses current beside the readers: every stored change announced to all
 * replicas (they drop their copies and signal their open pages), the ECS event queues' consumers
 * (one per queue across replicas, on a claim) with the watch for changes no event reported, and
 * the warm index (one runner across replicas). Scheduled on Backstage's scheduler; plugin.ts and
 * the tests build it the same way.
 */
export async function startStatusUpdates(options: {
  settings: EcsDeployConfig;
  read: ReturnType<typeof createReadPath>;
  locks: LockStore;
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  signals: SignalsService;
  logger: LoggerService;
  redis?: SharedRedis;
  onShutdown: (hook: () => Promise<void>) => void;
}) {
  const { settings, read, logger, redis } = options;
  const bus = redis ? new RedisChangeBus(redis, logger) : new LocalChangeBus();
  read.listeners.add(
    new StatusAnnouncer({
      settings,
      bus,
      catalog: options.catalog,
      auth: options.auth,
      logger,
    }),
  );
  await followChanges({
    bus,
    environments: settings.environments,
    store: read.store,
    signals: options.signals,
    logger,
  });

  const index = new WarmIndex({
    settings,
    clients: read.clients,
    store: read.store,
    cache: read.cache,
    freshness: read.freshness,
    pace: createCallPace({
      name: 'warm-index',
      perSecond: settings.index.callsPerSecond,
      redis,
    }),
    logger,
  });
  if (settings.index.enabled) {
    // Before the replica serves: its first org view reads its own copy of every status instead
    // of thousands of entries from Redis (a deploy of the portal restarts every replica).
    try {
      const copied = await index.preload();
      logger.info(
        `Warm index: ${copied} statuses copied from the shared cache`,
      );
    } catch (error) {
      logger.warn(`Warm index: copying the shared statuses failed: ${error}`);
    }
    await options.scheduler.scheduleTask({
      id: 'ecs-deploy-warm-index',
      frequency: { milliseconds: settings.index.intervalMs },
      timeout: { hours: 1 },
      scope: 'global',
      fn: signal => index.run(signal),
    });
  }

  const { events } = settings;
  if (events && read.health) {
    const marks = new EventMarks(read.cache, MARK_TTL_MS);
    read.listeners.add(
      new MissedChanges({
        marks,
        health: read.health,
        graceMs: events.missedChangeGraceMs,
      }),
    );
    const consumers = new QueueConsumers({
      queues: events.queues.map(
        q => new SqsEventQueue(read.clients, q, events),
      ),
      consumer: new EcsEventConsumer({
        environments: settings.environments,
        store: read.store,
        marks,
        logger,
      }),
      claims: new QueueClaims(options.locks, events.claimTtlMs),
      health: read.health,
      logger,
    });
    // Every replica asks every second; the one holding a queue's claim consumes it. A task per
    // queue: one queue's run never waits for another's long poll to end.
    for (const [i, queue] of consumers.queues.entries()) {
      await options.scheduler.scheduleTask({
        id: `ecs-deploy-event-queue-${i + 1}`,
        frequency: { seconds: 1 },
        timeout: { milliseconds: RUN_MS + events.claimTtlMs },
        scope: 'local',
        fn: signal => consumers.run(signal, [queue]),
      });
    }
    options.onShutdown(() => consumers.release());
    logger.info(
      `ECS events: consuming ${
        events.queues.length
      } queue(s); statuses are read again every ${Math.round(
        events.statusTtlMs / 1000,
      )} s as a safety net while events flow, every ${Math.round(
        settings.cache.statusTtlMs / 1000,
      )} s while they do not`,
    );
  }
  return { index };
}
