import { FreezeWindowInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import { FreezeWindowConfig } from '../../config';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The windows open at `now`, with when each ends. */
export function activeFreezeWindows(
  windows: FreezeWindowConfig[],
  now: Date,
  environment?: string,
): FreezeWindowInfo[] {
  const open: FreezeWindowInfo[] = [];
  for (const w of windows) {
    if (environment && !w.environments.includes(environment)) {
      continue;
    }
    let endsAt: Date | undefined;
    if (w.start && w.end && now >= w.start && now < w.end) {
      endsAt = w.end;
    }
    if (!endsAt && w.weekly) {
      const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
      const { days, fromMinutes, toMinutes } = w.weekly;
      if (
        days.includes(now.getUTCDay()) &&
        minutes >= fromMinutes &&
        minutes < toMinutes
      ) {
        const midnight = Date.UTC(
          now.getUTCFullYear(),
          now.getUTCMonth(),
          now.getUTCDate(),
        );
        // A window ending at 24:00 on consecutive days (e.g. sat+sun) ends with the last day.
        let end = midnight + toMinutes * 60_000;
        let day = now.getUTCDay();
        while (
          toMinutes === 24 * 60 &&
          days.includes((day + 1) % 7) &&
          fromMinutes === 0 &&
          end - now.getTime() < 7 * DAY_MS
        ) {
          end += DAY_MS;
          day = (day + 1) % 7;
        }
        endsAt = new Date(end);
      }
    }
    if (endsAt) {
      open.push({
        name: w.name,
        environments: w.environments,
        endsAt: endsAt.toISOString(),
        reason: w.reason,
      });
    }
  }
  return open;
}
