import { actorName, formatRelativeTime, ownerName } from './format';
import { entity } from '../__testUtils__/fixtures';

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  it.each([
    ['2026-11-20T11:59:30Z', 'just now'],
    ['2026-11-20T12:00:30Z', 'just now'],
    ['2026-11-20T11:56:00Z', '4 min ago'],
    ['2026-11-20T09:00:00Z', '3 h ago'],
    ['2026-11-19T11:00:00Z', '1 day ago'],
    ['2026-11-10T12:00:00Z', '10 days ago'],
    [undefined, '—'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });

  it('gives the date beyond a month', () => {
    expect(formatRelativeTime('2026-09-01T12:00:00Z', now)).toBe(
      `on ${new Date('2026-09-01T12:00:00Z').toLocaleDateString()}`,
    );
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
