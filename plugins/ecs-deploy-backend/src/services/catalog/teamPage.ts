/*
 * The org view's order by team, paged by the catalog. The catalog orders by one field only (it
 * ignores the rest, ties by its entity id), so "by owner, then name" cannot be one query. The
 * owners' counts (the catalog's facets) say where each team starts in that order; a page then
 * reads, per team it spans, that team's slice ordered by name. Pure.
 */

/** What `relations.ownedBy` facets call a service without an owner (as `withOwner` does). */
export const UNOWNED = 'unowned';

/** One team's slice of a page: `limit` services from `offset` in the team's order by name. */
export interface TeamSlice {
  team: string;
  offset: number;
  limit: number;
}

/**
 * The teams' slices covering `offset`..`offset + limit` of the services ordered by owner
 * (`order`; owners compared as the in-memory sort does) and by name within each owner.
 */
export function teamSlices(
  counts: { value: string; count: number }[],
  page: { order: 'asc' | 'desc'; offset: number; limit: number },
): { total: number; slices: TeamSlice[] } {
  const teams = counts
    .filter(c => c.count > 0)
    .sort((a, b) => {
      if (a.value === b.value) return 0;
      return (a.value < b.value ? -1 : 1) * (page.order === 'desc' ? -1 : 1);
    });
  const slices: TeamSlice[] = [];
  const end = page.offset + page.limit;
  let start = 0;
  for (const { value, count } of teams) {
    const from = Math.max(page.offset, start);
    const to = Math.min(end, start + count);
    if (from < to) {
      slices.push({ team: value, offset: from - start, limit: to - from });
    }
    start += count;
  }
  return { total: start, slices };
}
