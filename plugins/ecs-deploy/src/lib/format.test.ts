import {
  actorName,
  formatDuration,
  formatRelativeTime,
  ownerName,
} from './format';
import { entity } from '../__testUtils__/fixtures';

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  it.each([
    ['2026-11-20T12:00:00Z', 'now'],
    ['2026-11-20T11:59:48Z', '12 seconds ago'],
    // A browser's clock a little behind the server's.
    ['2026-11-20T12:00:30Z', 'now'],
    ['2026-11-20T11:56:00Z', '4 minutes ago'],
    ['2026-11-20T11:55:30Z', '4 minutes ago'],
    ['2026-11-20T09:00:00Z', '3 hours ago'],
    ['2026-11-19T11:00:00Z', 'yesterday'],
    ['2026-11-10T12:00:00Z', '10 days ago'],
    ['2026-09-01T12:00:00Z', '2 months ago'],
    ['2024-11-01T12:00:00Z', '2 years ago'],
    // Expiry times of requests lie ahead.
    ['2026-11-21T11:00:00Z', 'in 23 hours'],
    ['2026-11-20T12:10:00Z', 'in 10 minutes'],
    [undefined, '—'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelativeTime(iso, now, 'en')).toBe(expected);
  });

  it("speaks the reader's language", () => {
    expect(formatRelativeTime('2026-11-20T09:00:00Z', now, 'de')).toBe(
      'vor 3 Stunden',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [12_400, '12 s'],
    [45_500, '46 s'],
    [185_000, '3 min 5 s'],
    [20.5 * 60_000, '20 min 30 s'],
    // A bake whose end this browser's clock has already passed.
    [-3_000, '0 s'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('names for people', () => {
  it.each([
    ['user:default/alice', 'alice'],
    ['user:ops/bob', 'ops/bob'],
    ['system', 'system'],
  ])('actor %s → %s', (actor, expected) => {
    expect(actorName(actor)).toBe(expected);
  });

  it('names the owner group without kind and default namespace', () => {
    expect(ownerName(entity)).toBe('team-payments');
    expect(ownerName({ ...entity, spec: {} })).toBeUndefined();
  });
});
