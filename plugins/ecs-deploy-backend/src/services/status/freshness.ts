import type { CachePolicy, EventsConfig } from '../../config';
import type { SwrPolicy } from './swrPolicy';

/** The status cache's TTLs in force now. */
export interface Freshness {
  policy(): SwrPolicy;
}

/**
 * Polling's TTLs (`cache.*`), or, while ECS events flow, the events' slow safety net
 * (`events.statusTtl`, 5 minutes by default): each event refreshes its service, so the TTL only
 * catches what no event reported. When events stop (`live()` false) the polling TTL applies at
 * once to every entry, whenever it was read. With events configured, an entry is served while
 * refreshed for up to three safety-net TTLs in either mode: entries read under the long TTL are
 * not thrown away when events stop.
 */
export function statusFreshness(
  cache: CachePolicy,
  events?: { config: Pick<EventsConfig, 'statusTtlMs'>; live: () => boolean },
): Freshness {
  const polling: SwrPolicy = {
    statusTtlMs: cache.statusTtlMs,
    serveWhileRefreshingMs: cache.serveWhileRefreshingMs,
    refreshAheadMs: cache.refreshAheadMs,
  };
  if (!events) return { policy: () => polling };
  const serveWhileRefreshingMs = Math.max(
    cache.serveWhileRefreshingMs,
    3 * events.config.statusTtlMs,
  );
  const fallback = { ...polling, serveWhileRefreshingMs };
  const live: SwrPolicy = {
    statusTtlMs: events.config.statusTtlMs,
    serveWhileRefreshingMs,
    refreshAheadMs: events.config.statusTtlMs / 2,
  };
  return { policy: () => (events.live() ? live : fallback) };
}
