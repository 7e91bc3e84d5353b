import { teamSlices } from './teamPage';

const counts = [
  { value: 'group:default/b', count: 3 },
  { value: 'unowned', count: 2 },
  { value: 'group:default/a', count: 4 },
  { value: 'group:default/empty', count: 0 },
];

describe('teamSlices', () => {
  it('places a page across the teams it spans, owners in order', () => {
    expect(teamSlices(counts, { order: 'asc', offset: 2, limit: 4 })).toEqual({
      total: 9,
      slices: [
        { team: 'group:default/a', offset: 2, limit: 2 },
        { team: 'group:default/b', offset: 0, limit: 2 },
      ],
    });
    expect(
      teamSlices(counts, { order: 'asc', offset: 7, limit: 50 }).slices,
    ).toEqual([{ team: 'unowned', offset: 0, limit: 2 }]);
  });
  it('reverses the owners (each still by name) and pages past the end to nothing', () => {
    expect(
      teamSlices(counts, { order: 'desc', offset: 0, limit: 3 }).slices,
    ).toEqual([
      { team: 'unowned', offset: 0, limit: 2 },
      { team: 'group:default/b', offset: 0, limit: 1 },
    ]);
    expect(teamSlices(counts, { order: 'asc', offset: 9, limit: 5 })).toEqual({
      total: 9,
      slices: [],
    });
  });
});
