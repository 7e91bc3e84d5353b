import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  EnvironmentError,
  EnvironmentLogs,
  LogLine,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import { usePolling } from './usePolling';

/** Which lines to show: one environment, optionally some tasks or one revision, and a pattern. */
export interface LogsSelection {
  environment: string;
  taskIds?: string[];
  revision?: number;
  /** A CloudWatch Logs filter pattern. */
  filter?: string;
}

/** The lines read so far and where reading stands. */
export interface LogsState {
  /** Oldest first (newest last). */
  lines: LogLine[];
  logGroup?: string;
  /** There are older lines to load. */
  hasOlder: boolean;
  /** Why the environment has no lines (missing log group, AWS unavailable, …). */
  environmentError?: EnvironmentError;
  /** The last request failed (403 for callers who may not read logs, 429, network). */
  error?: Error;
  loading: boolean;
  loadingOlder: boolean;
  /** Following received more new lines than one read returns: some were skipped. */
  skipped: boolean;
}

const EMPTY: LogsState = {
  lines: [],
  hasOlder: false,
  loading: true,
  loadingOlder: false,
  skipped: false,
};

/** Lines of both lists, each once, oldest first. */
function merge(older: LogLine[], newer: LogLine[]): LogLine[] {
  const seen = new Set(older.map(l => l.id));
  return [...older, ...newer.filter(l => !seen.has(l.id))];
}

/**
 * The newest log lines of a selection, older ones on demand (`loadOlder`), and, while `follow`
 * is on and the page is visible, new lines appended every `followIntervalMs`.
 */
export function useLogs(
  entityRef: string,
  selection: LogsSelection,
  options: { follow: boolean; followIntervalMs?: number; limit?: number },
) {
  const api = useApi(ecsDeployApiRef);
  const [state, setState] = useState<LogsState>(EMPTY);
  const key = JSON.stringify(selection);
  // Answers to an earlier selection are dropped; so is a follow read while one is running.
  const generation = useRef(0);
  const cursor = useRef<{ nextToken?: string; since?: string }>({});
  const following = useRef(false);

  const read = useCallback(
    (extra: { nextToken?: string; since?: string }) => {
      const { taskIds, ...rest } = JSON.parse(key) as LogsSelection;
      return api.getLogs(entityRef, {
        ...rest,
        taskId: taskIds?.length ? taskIds.join(',') : undefined,
        limit: options.limit,
        ...extra,
      });
    },
    [api, entityRef, key, options.limit],
  );

  /** Applies an answer of the current selection; `at` says where its lines go. */
  const apply = useCallback(
    (gen: number, res: EnvironmentLogs, at: 'replace' | 'older' | 'newer') => {
      if (gen !== generation.current) return;
      if (at !== 'newer') cursor.current.nextToken = res.nextToken;
      const newest = res.lines[res.lines.length - 1]?.timestamp;
      if (at !== 'older' && (newest || !cursor.current.since)) {
        cursor.current.since = newest ?? res.searched?.to;
      }
      setState(prev => {
        let lines = res.lines;
        if (at === 'older') lines = merge(res.lines, prev.lines);
        if (at === 'newer') lines = merge(prev.lines, res.lines);
        return {
          ...prev,
          lines,
          logGroup: res.logGroup ?? prev.logGroup,
          hasOlder: Boolean(cursor.current.nextToken),
          environmentError: res.error,
          error: undefined,
          loading: false,
          loadingOlder: false,
          skipped: prev.skipped || (at === 'newer' && Boolean(res.nextToken)),
        };
      });
    },
    [],
  );

  const fail = useCallback((gen: number, error: Error) => {
    if (gen !== generation.current) return;
    setState(prev => ({ ...prev, error, loading: false, loadingOlder: false }));
  }, []);

  useEffect(() => {
    const gen = ++generation.current;
    cursor.current = {};
    setState(EMPTY);
    read({}).then(
      res => apply(gen, res, 'replace'),
      e => fail(gen, e),
    );
  }, [read, apply, fail]);

  const loadOlder = useCallback(() => {
    const gen = generation.current;
    const nextToken = cursor.current.nextToken;
    if (!nextToken) return;
    setState(prev => ({ ...prev, loadingOlder: true }));
    read({ nextToken }).then(
      res => apply(gen, res, 'older'),
      e => fail(gen, e),
    );
  }, [read, apply, fail]);

  const followTick = useCallback(() => {
    const gen = generation.current;
    const since = cursor.current.since;
    if (!since || following.current) return;
    following.current = true;
    read({ since })
      .then(
        res => apply(gen, res, 'newer'),
        e => fail(gen, e),
      )
      .finally(() => {
        following.current = false;
      });
  }, [read, apply, fail]);

  usePolling(
    followTick,
    options.follow ? options.followIntervalMs ?? 5000 : undefined,
  );

  return { ...state, loadOlder };
}
