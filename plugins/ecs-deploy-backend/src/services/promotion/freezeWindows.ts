import { FreezeWindowInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import { DateTime } from 'luxon';
import { FreezeWindowConfig } from '../../config';

type Weekly = NonNullable<FreezeWindowConfig['weekly']>;

/** The occurrence of a weekly window that starts on the local day `day`, if it has one. */
function occurrence(weekly: Weekly, day: DateTime) {
  if (!weekly.days.includes(day.weekday % 7)) return undefined;
  const at = (d: DateTime, minutes: number) =>
    d.set({
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
      second: 0,
      millisecond: 0,
    });
  const start = at(day, weekly.fromMinutes);
  // A window whose end is not after its start ends the next day (e.g. 22:00 → 06:00).
  const end =
    weekly.toMinutes > weekly.fromMinutes && weekly.toMinutes < 24 * 60
      ? at(day, weekly.toMinutes)
      : at(day.plus({ days: 1 }), weekly.toMinutes % (24 * 60));
  return { start, end };
}

/** When the weekly window open at `now` ends (joined with occurrences that follow at once). */
function weeklyEnd(weekly: Weekly, now: Date): Date | undefined {
  const local = DateTime.fromJSDate(now, { zone: weekly.timeZone });
  const today = local.startOf('day');
  const open = [today.minus({ days: 1 }), today]
    .map(day => occurrence(weekly, day))
    .find(o => o && o.start <= local && local < o.end);
  if (!open) return undefined;
  let end = open.end;
  // Sat 00:00–24:00 and Sun 00:00–24:00 are one window until Monday.
  for (let i = 0; i < 7; i++) {
    const next = occurrence(weekly, end.startOf('day'));
    if (!next || +next.start !== +end || +next.end <= +end) break;
    end = next.end;
  }
  return end.toJSDate();
}

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
      endsAt = weeklyEnd(w.weekly, now);
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
