import { useEffect, useRef, useState } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** Default of `ecsDeploy.frontend.pollIntervalSeconds`. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 15;

function isDocumentVisible(): boolean {
  return (
    typeof document === 'undefined' || document.visibilityState !== 'hidden'
  );
}

/** True while the page is visible (not a background tab, not minimised). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(isDocumentVisible);
  useEffect(() => {
    const onChange = () => setVisible(isDocumentVisible());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

/** The configured poll interval in milliseconds (`ecsDeploy.frontend.pollIntervalSeconds`). */
export function usePollIntervalMs(): number {
  const configApi = useApi(configApiRef);
  const seconds =
    configApi.getOptionalNumber('ecsDeploy.frontend.pollIntervalSeconds') ??
    DEFAULT_POLL_INTERVAL_SECONDS;
  return Math.max(1, seconds) * 1000;
}

/**
 * Calls `refresh` every `intervalMs` while the page is visible. Polling pauses in background
 * tabs; when the page becomes visible again it refreshes at once and resumes.
 * `intervalMs` of `undefined` or 0 turns polling off.
 */
export function usePolling(
  refresh: () => void,
  intervalMs: number | undefined,
): void {
  const visible = usePageVisible();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const wasVisible = useRef(visible);

  useEffect(() => {
    if (!visible || !intervalMs) {
      return undefined;
    }
    const id = setInterval(() => refreshRef.current(), intervalMs);
    return () => clearInterval(id);
  }, [visible, intervalMs]);

  useEffect(() => {
    if (visible && !wasVisible.current && intervalMs) {
      refreshRef.current();
    }
    wasVisible.current = visible;
  }, [visible, intervalMs]);
}
