import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type DependencyList,
} from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { ecsDeploySignalChannel } from '@deployment-portal/plugin-ecs-deploy-common';
import { usePollIntervalMs, usePolling } from './usePolling';

/** Options of {@link usePolledRead}. */
export interface PolledReadOptions {
  /**
   * Read again the moment the backend signals a change of this entity's promotions, rollbacks
   * or requests (for a group: of one of its services). Needs the signals plugin in the app;
   * without it, polling keeps the read fresh.
   */
  signal?: string;
}

/** The last answer of a polled read, the last error, and a way to read again now. */
export interface PolledRead<T> {
  /** A read is running (the first one, or a refresh: `value` then still holds the last answer). */
  loading: boolean;
  /** The last answer read with the current inputs (or, while they change, the previous ones'). */
  value?: T;
  /** Why the last read failed; `value` keeps the last answer of the same inputs. */
  error?: Error;
  retry: () => void;
}

interface State<T> {
  loading: boolean;
  value?: T;
  error?: Error;
  /** The read that answered `value`: an error of the same read keeps it. */
  source?: unknown;
}

/**
 * A read that stays fresh: `read` runs at once and whenever `deps` change, again every
 * `ecsDeploy.frontend.pollIntervalSeconds` while the page is visible (at once when it becomes
 * visible again), and on the backend's signals for `options.signal`. Only the latest read's
 * answer counts; a failed refresh keeps the last answer next to the error, so that a view can
 * say "could not refresh" instead of replacing itself with the error.
 */
export function usePolledRead<T>(
  read: () => Promise<T>,
  deps: DependencyList,
  options: PolledReadOptions = {},
): PolledRead<T> {
  const [state, setState] = useState<State<T>>({ loading: true });
  const latest = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // `deps` stand for what `read` reads, as with useEffect.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const load = useCallback(read, deps);
  const retry = useCallback(() => {
    const call = ++latest.current;
    const current = () => mounted.current && call === latest.current;
    setState(prev => (prev.loading ? prev : { ...prev, loading: true }));
    load().then(
      value => {
        if (current()) setState({ loading: false, value, source: load });
      },
      error => {
        if (!current()) return;
        setState(prev =>
          prev.source === load
            ? { ...prev, loading: false, error }
            : { loading: false, error },
        );
      },
    );
  }, [load]);
  useEffect(retry, [retry]);

  usePolling(retry, usePollIntervalMs());

  const signals = useApiHolder().get(signalApiRef);
  const retryRef = useRef(retry);
  retryRef.current = retry;
  const { signal } = options;
  useEffect(() => {
    if (!signals || !signal) {
      return undefined;
    }
    const subscription = signals.subscribe(ecsDeploySignalChannel(signal), () =>
      retryRef.current(),
    );
    return subscription.unsubscribe;
  }, [signals, signal]);

  return {
    loading: state.loading,
    value: state.value,
    error: state.error,
    retry,
  };
}
