import { ConfigReader } from '@backstage/config';
import { readEcsDeployConfig } from '../../config';
import { ecsDeployTestConfig } from '../../__testUtils__/ecsFixtures';
import { activeFreezeWindows } from './freezeWindows';

/** The freeze windows of a config, as the backend reads them. */
function windows(...freezeWindows: object[]) {
  return readEcsDeployConfig(
    new ConfigReader(
      ecsDeployTestConfig('http://ecs.invalid', { freezeWindows }),
    ),
  ).freezeWindows;
}

const open = (w: ReturnType<typeof windows>, at: string, env?: string) =>
  activeFreezeWindows(w, new Date(at), env).map(o => [o.name, o.endsAt]);

describe('activeFreezeWindows', () => {
  it('opens a weekly UTC window on its days and hours only', () => {
    const w = windows({
      name: 'friday-afternoon',
      environments: ['prod'],
      weekly: { days: ['fri'], from: '14:00', to: '18:00' },
    });
    // 2026-12-04 is a Friday.
    expect(open(w, '2026-12-04T13:59:59Z')).toEqual([]);
    expect(open(w, '2026-12-04T14:00:00Z')).toEqual([
      ['friday-afternoon', '2026-12-04T18:00:00.000Z'],
    ]);
    expect(open(w, '2026-12-04T17:59:59Z', 'prod')).toHaveLength(1);
    expect(open(w, '2026-12-04T17:59:59Z', 'staging')).toEqual([]);
    expect(open(w, '2026-12-04T18:00:00Z')).toEqual([]);
    expect(open(w, '2026-12-11T15:00:00Z')).toHaveLength(1); // next Friday
    expect(open(w, '2026-12-05T15:00:00Z')).toEqual([]); // Saturday
  });

  it('reads the hours in the window’s time zone, across a daylight-saving change', () => {
    const w = windows({
      name: 'berlin-evening',
      environments: ['prod'],
      weekly: {
        days: ['fri'],
        from: '18:00',
        to: '22:00',
        timeZone: 'Europe/Berlin',
      },
    });
    // Winter: Berlin is UTC+1, so 18:00 there is 17:00 UTC.
    expect(open(w, '2026-12-04T16:59:00Z')).toEqual([]);
    expect(open(w, '2026-12-04T17:00:00Z')).toEqual([
      ['berlin-evening', '2026-12-04T21:00:00.000Z'],
    ]);
    // Summer: UTC+2, so 18:00 there is 16:00 UTC (2026-07-03 is a Friday).
    expect(open(w, '2026-07-03T16:00:00Z')).toEqual([
      ['berlin-evening', '2026-07-03T20:00:00.000Z'],
    ]);
    expect(open(w, '2026-07-03T20:00:00Z')).toEqual([]);
  });

  it('ends a window that crosses midnight on the next day, whatever day that is', () => {
    const w = windows({
      name: 'night',
      environments: ['prod'],
      weekly: {
        days: ['fri'],
        from: '22:00',
        to: '06:00',
        timeZone: 'America/New_York',
      },
    });
    // Friday 22:00 in New York (UTC-5 in December) is Saturday 03:00 UTC.
    expect(open(w, '2026-12-05T02:59:00Z')).toEqual([]);
    expect(open(w, '2026-12-05T03:00:00Z')).toEqual([
      ['night', '2026-12-05T11:00:00.000Z'],
    ]);
    // Saturday 05:59 in New York: still Friday's window, though Saturday is not listed.
    expect(open(w, '2026-12-05T10:59:00Z')).toEqual([
      ['night', '2026-12-05T11:00:00.000Z'],
    ]);
    expect(open(w, '2026-12-05T11:00:00Z')).toEqual([]);
    // Thursday night is not frozen.
    expect(open(w, '2026-12-04T04:00:00Z')).toEqual([]);
  });

  it('joins whole days that follow each other into one window', () => {
    const w = windows({
      name: 'weekend',
      environments: ['prod'],
      weekly: { days: ['sat', 'sun'], timeZone: 'Asia/Tokyo' },
    });
    // Saturday 10:00 in Tokyo (UTC+9): frozen until Monday 00:00 there.
    expect(open(w, '2026-12-05T01:00:00Z')).toEqual([
      ['weekend', '2026-12-06T15:00:00.000Z'],
    ]);
    expect(open(w, '2026-12-06T14:59:00Z')).toHaveLength(1);
    expect(open(w, '2026-12-06T15:00:00Z')).toEqual([]);
  });

  it('opens a one-off window between its start and end', () => {
    const w = windows({
      name: 'sale',
      environments: ['prod'],
      start: '2026-11-27T00:00:00Z',
      end: '2026-11-30T00:00:00Z',
    });
    expect(open(w, '2026-11-26T23:59:59Z')).toEqual([]);
    expect(open(w, '2026-11-28T12:00:00Z')).toEqual([
      ['sale', '2026-11-30T00:00:00.000Z'],
    ]);
    expect(open(w, '2026-11-30T00:00:00Z')).toEqual([]);
  });
});
