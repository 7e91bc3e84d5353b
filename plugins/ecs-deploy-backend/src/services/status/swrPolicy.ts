/*
 * The status cache's stale-while-revalidate policy, pure: which entries a read serves at once,
 * which it waits for, and which it refreshes behind the answer. The numbers come from the cache
 * policy in config (`ecsDeploy.cache`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { EnvironmentError } from '@deployment-portal/plugin-ecs-deploy-common';
import type { CachePolicy } from '../../config';
import type { ServiceState, StateResult } from './types';

/** What the cache keeps per environment and service. */
export interface Entry {
  state: ServiceState;
  /** When the read that returned `state` started: an entry never replaces one read later. */
  readAt: number;
  /** When ECS was last asked for it: fresh for the TTL after that, then served while refreshed. */
  checkedAt: number;
  /** Set when the last refresh could not read ECS: readers get the state marked stale. */
  error?: EnvironmentError;
}

export type SwrPolicy = Pick<
  CachePolicy,
  'statusTtlMs' | 'serveWhileRefreshingMs' | 'refreshAheadMs'
>;

/** What one read does with the entries it found. */
export interface ReadPlan {
  /** Served as they are. */
  serve: Map<string, Entry>;
  /** Read from ECS before answering: missing, long expired, or asked for fresh. */
  wait: string[];
  /** Refreshed behind the answer (empty unless one of them is due). */
  refresh: string[];
}

/** Until then the entry is fresh (the TTL in force now: events may have stopped since it was read). */
export function freshUntil(entry: Entry, policy: SwrPolicy): number {
  return entry.checkedAt + policy.statusTtlMs;
}

/**
 * An entry is fresh until `freshUntil`; up to `serveWhileRefreshingMs` past it, it is served
 * while being refreshed; later, the reader waits for ECS. A read that refreshes anything also
 * refreshes the entries due within `refreshAheadMs`: entries of a large view written a moment
 * apart expire a moment apart, and refreshing each as it falls due would read ECS in many small
 * batches instead of one wave of full ones.
 */
export function planRead(
  names: string[],
  entries: Array<Entry | undefined>,
  now: number,
  policy: SwrPolicy,
  options: { fresh?: boolean } = {},
): ReadPlan {
  const serve = new Map<string, Entry>();
  const wait: string[] = [];
  const dueSoon: string[] = [];
  let due = false;
  names.forEach((name, i) => {
    const entry = entries[i];
    const until = entry ? freshUntil(entry, policy) : NaN;
    // An entry of an older shape (no checkedAt) is not servable either.
    const servable = now < until + policy.serveWhileRefreshingMs;
    if (options.fresh || !entry || !servable) {
      wait.push(name);
      return;
    }
    serve.set(name, entry);
    if (now >= until) due = true;
    if (now >= until - policy.refreshAheadMs) dueSoon.push(name);
  });
  return { serve, wait, refresh: due ? dueSoon : [] };
}

/** An entry read from ECS by a read that started at `readAt`. */
export function freshEntry(state: ServiceState, readAt: number): Entry {
  return { state, readAt, checkedAt: readAt };
}

/** The last good entry, kept when ECS could not be read: served stale, tried again after a TTL. */
export function staleEntry(
  last: Entry,
  error: EnvironmentError,
  now: number,
): Entry {
  return { ...last, error, checkedAt: now };
}

/** Whether two states say the same (when they were fetched aside). */
export function sameState(a?: ServiceState, b?: ServiceState): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    isDeepStrictEqual({ ...a, fetchedAt: '' }, { ...b, fetchedAt: '' })
  );
}

/** What a reader gets from an entry. */
export function resultOf(entry: Entry): StateResult {
  return entry.error
    ? { state: entry.state, stale: true, error: entry.error }
    : { state: entry.state };
}
