import { InputError } from '@backstage/errors';
import { IANAZone } from 'luxon';
import { Section } from './durations';
import type { environmentChecker } from './environments';
import type { FreezeWindowConfig } from './types';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseTime(value: string | undefined, fallback: number, key: string) {
  if (value === undefined) {
    return fallback;
  }
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) {
    throw new InputError(`${key} must be HH:MM, got '${value}'`);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

function parseDate(value: string | undefined, key: string) {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${key} must be an ISO-8601 date, got '${value}'`);
  }
  return date;
}

/** `ecsDeploy.freezeWindows`: one-off (start, end) or weekly in an IANA time zone. */
export function readFreezeWindows(
  root: Section,
  known: ReturnType<typeof environmentChecker>,
): FreezeWindowConfig[] {
  return (root.config.getOptionalConfigArray('freezeWindows') ?? []).map(
    (w, i) => {
      const key = root.key(`freezeWindows[${i}]`);
      const weekly = w.getOptionalConfig('weekly');
      const timeZone = weekly?.getOptionalString('timeZone') ?? 'UTC';
      if (weekly && !IANAZone.isValidZone(timeZone)) {
        throw new InputError(
          `${key}.weekly.timeZone must be an IANA time zone like Europe/Berlin, got '${timeZone}'`,
        );
      }
      const window: FreezeWindowConfig = {
        name: w.getString('name'),
        environments: w
          .getStringArray('environments')
          .map(e => known(e, `${key}.environments`)),
        reason: w.getOptionalString('reason'),
        start: parseDate(w.getOptionalString('start'), `${key}.start`),
        end: parseDate(w.getOptionalString('end'), `${key}.end`),
        weekly: weekly && {
          days: weekly.getStringArray('days').map(d => {
            const day = DAYS.indexOf(d.toLowerCase().slice(0, 3));
            if (day < 0) {
              throw new InputError(`${key}.weekly.days: unknown day '${d}'`);
            }
            return day;
          }),
          fromMinutes: parseTime(
            weekly.getOptionalString('from'),
            0,
            `${key}.weekly.from`,
          ),
          toMinutes: parseTime(
            weekly.getOptionalString('to'),
            24 * 60,
            `${key}.weekly.to`,
          ),
          timeZone,
        },
      };
      if (!window.weekly && !(window.start && window.end)) {
        throw new InputError(`${key} needs either start and end, or weekly`);
      }
      return window;
    },
  );
}
