import { LoggerService } from '@backstage/backend-plugin-api';
import { EventEmitter } from 'node:events';
import type { SharedRedis } from '../sharedRedis';

/** Services of one environment whose stored status changed, and who should refetch. */
export interface ChangeMessage {
  environment: string;
  services: Array<{
    name: string;
    /** Entity refs whose signal channels hear of it (the entity and its owners). */
    refs: string[];
    /** The entity's ref, and the rollout state, for the signal. */
    entityRef?: string;
    state: string;
  }>;
}

/** Tells every replica (this one too) of changes another stored. */
export interface ChangeBus {
  publish(message: ChangeMessage): Promise<void>;
  subscribe(handler: (message: ChangeMessage) => void): Promise<void>;
}

const CHANNEL = 'ecs-deploy:status-changes';

/** One process: an in-memory emitter. */
export class LocalChangeBus implements ChangeBus {
  private readonly emitter = new EventEmitter();

  async publish(message: ChangeMessage) {
    this.emitter.emit(CHANNEL, message);
  }

  async subscribe(handler: (message: ChangeMessage) => void) {
    this.emitter.on(CHANNEL, handler);
  }
}

/**
 * Replicas: Redis pub/sub on the replicas' shared Redis (a subscriber connection of its own).
 * A message published while Redis is away is lost: the receiving replicas' copies then expire
 * with the TTL, as without events.
 */
export class RedisChangeBus implements ChangeBus {
  private subscriber?: SharedRedis;

  constructor(
    private readonly redis: SharedRedis,
    private readonly logger: LoggerService,
  ) {}

  async publish(message: ChangeMessage) {
    await this.redis.ready;
    if (!this.redis.client.isReady) return;
    await this.redis.client.publish(CHANNEL, JSON.stringify(message));
  }

  async subscribe(handler: (message: ChangeMessage) => void) {
    this.subscriber ??= this.redis.duplicate();
    await this.subscriber.ready;
    // Not awaited: while Redis is away the subscription waits in the client and is made (and
    // renewed on every reconnection) once it answers; the plugin starts meanwhile.
    this.subscriber.client
      .subscribe(CHANNEL, text => {
        try {
          handler(JSON.parse(text));
        } catch (error) {
          this.logger.warn(
            `A status change message could not be read: ${error}`,
          );
        }
      })
      .catch(error =>
        this.logger.warn(`Status change messages are not received: ${error}`),
      );
  }
}
