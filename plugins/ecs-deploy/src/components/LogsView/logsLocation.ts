/*
 * The page URL names the logs to open and the task to show, so that a problem's link, a log
 * line's task and a shared link open the same view: `?logs=<environment>&logsTasks=<id,id>` and
 * `?ecsTask=<environment>:<task id>`.
 */
import { useLocation } from 'react-router-dom';

const ENV = 'logs';
const TASKS = 'logsTasks';
const TASK = 'ecsTask';

function withParams(
  location: { pathname: string; search: string },
  set: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(set)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  return `${location.pathname}?${params.toString()}`;
}

/** The link (this page) that opens the logs of one environment, optionally of some tasks. */
export function useLogsHref(environment: string, taskIds?: string[]): string {
  const location = useLocation();
  return withParams(location, {
    [ENV]: environment,
    [TASKS]: taskIds?.length ? taskIds.join(',') : undefined,
  });
}

/** The link (this page) that shows one task in the environment's task list. */
export function useTaskHref(environment: string, taskId: string): string {
  const location = useLocation();
  return withParams(location, { [TASK]: `${environment}:${taskId}` });
}

/** The logs the URL asks for, when it names one of `environments`. */
export function useRequestedLogs(
  environments: string[],
): { environment: string; taskIds?: string[] } | undefined {
  const params = new URLSearchParams(useLocation().search);
  const environment = params.get(ENV);
  if (!environment || !environments.includes(environment)) return undefined;
  const tasks = params.get(TASKS);
  return { environment, taskIds: tasks ? tasks.split(',') : undefined };
}

/** The task of `environment` the URL points to (a log line's task link), if any. */
export function useFocusedTask(environment: string): string | undefined {
  const value = new URLSearchParams(useLocation().search).get(TASK);
  const [env, taskId] = value?.split(':') ?? [];
  return env === environment && taskId ? taskId : undefined;
}
