import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createClient } from '@redis/client';

/** How long a caller waits for a first connection before going on without Redis. */
const READY_WAIT_MS = 2000;

/** A Redis connection the replicas share state through: rate limits, status change messages. */
export interface SharedRedis {
  client: ReturnType<typeof createClient>;
  /**
   * Settles once Redis answers, or after a short wait when it does not (the client keeps
   * reconnecting; callers check `client.isReady` and carry on without Redis meanwhile).
   */
  ready: Promise<void>;
  /** Another connection to the same Redis (a subscriber needs its own), closed with this one. */
  duplicate(): SharedRedis;
}

/**
 * The Redis of `backend.cache` when the backend's cache is Redis (replicas), else undefined
 * (one process: state in memory). Connects in the background; a Redis that does not answer is
 * logged once per connection and retried by the client, never thrown at the caller.
 */
export function connectSharedRedis(options: {
  /** The root config: `backend.cache` says whether replicas share a Redis. */
  config: Config;
  logger?: LoggerService;
  /** Called with a function that closes the connections (at shutdown). */
  onClose?: (close: () => Promise<void>) => void;
}): SharedRedis | undefined {
  const cache = options.config.getOptionalConfig('backend.cache');
  const url =
    cache?.getOptionalString('store') === 'redis'
      ? cache.getOptionalString('connection')
      : undefined;
  if (!url) return undefined;
  const open = (): SharedRedis => {
    const client = createClient({ url });
    client.on('error', error =>
      options.logger?.debug(`Shared Redis connection: ${error}`),
    );
    const connected = client
      .connect()
      .then(() => undefined)
      .catch(error =>
        options.logger?.warn(
          `Redis (backend.cache) does not answer; replicas share no limits or change messages until it does: ${error}`,
        ),
      );
    // node-redis retries a first connection for ever: never hold a caller on it.
    const ready = Promise.race([
      connected,
      new Promise<void>(resolve => setTimeout(resolve, READY_WAIT_MS).unref()),
    ]);
    options.onClose?.(async () => {
      if (client.isOpen) await client.disconnect().catch(() => {});
    });
    return { client, ready, duplicate: open };
  };
  return open();
}
