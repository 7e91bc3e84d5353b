import { useSearchParams } from 'react-router-dom';
import {
  orgStatusQuerySchema,
  type OrgStatusQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** The organisation view's query, kept in the page URL (shareable, survives a reload). */
export type OrgQuery = Required<
  Pick<OrgStatusQuery, 'sort' | 'order' | 'offset' | 'limit'>
> &
  Pick<OrgStatusQuery, 'team' | 'lag' | 'health' | 'q'>;

const KEYS = [
  'team',
  'lag',
  'health',
  'q',
  'sort',
  'order',
  'offset',
  'limit',
] as const;

const DEFAULTS = orgStatusQuerySchema.parse({});

/**
 * The query in the URL, each parameter checked with the backend's schema (a hand-edited bad one
 * falls back to its default instead of failing the page), and a setter that changes some
 * parameters; changing a filter, the order or the page size goes back to the first page.
 */
export function useOrgQuery(): [OrgQuery, (change: Partial<OrgQuery>) => void] {
  const [params, setParams] = useSearchParams();
  const query = { ...DEFAULTS } as OrgQuery;
  for (const key of KEYS) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const one = orgStatusQuerySchema.shape[key].safeParse(raw);
    if (one.success) {
      Object.assign(query, { [key]: one.data });
    }
  }
  const update = (change: Partial<OrgQuery>) => {
    const next = new URLSearchParams(params);
    const merged: Partial<OrgQuery> = {
      ...change,
      ...(change.offset === undefined && { offset: 0 }),
    };
    for (const [key, value] of Object.entries(merged)) {
      if (
        value === undefined ||
        value === '' ||
        value === DEFAULTS[key as keyof typeof DEFAULTS]
      ) {
        next.delete(key);
      } else {
        next.set(key, String(value));
      }
    }
    setParams(next, { replace: true });
  };
  return [query, update];
}
