import { useSearchParams } from 'react-router-dom';

/** The part of a zod object schema the URL query needs: its defaults and a parser per key. */
export interface UrlQuerySchema<Q> {
  parse(input: {}): Q;
  shape: Record<
    string,
    { safeParse(raw: string): { success: boolean; data?: unknown } }
  >;
}

/**
 * A paged view's query, kept in the page URL (shareable, survives a reload): each of `keys`
 * checked with the backend's schema (a hand-edited bad one falls back to its default instead of
 * failing the page), and a setter that changes some parameters; any change but the offset goes
 * back to the first page.
 */
export function useUrlQuery<Q extends { offset: number }>(
  schema: UrlQuerySchema<Q>,
  keys: ReadonlyArray<keyof Q & string>,
): [Q, (change: Partial<Q>) => void] {
  const [params, setParams] = useSearchParams();
  const defaults = schema.parse({});
  const query = { ...defaults };
  for (const key of keys) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const one = schema.shape[key].safeParse(raw);
    if (one.success) {
      Object.assign(query, { [key]: one.data });
    }
  }
  const update = (change: Partial<Q>) => {
    const next = new URLSearchParams(params);
    const merged: Partial<Q> = {
      ...change,
      ...(change.offset === undefined && { offset: 0 }),
    };
    for (const [key, value] of Object.entries(merged)) {
      if (
        value === undefined ||
        value === '' ||
        value === defaults[key as keyof Q]
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
