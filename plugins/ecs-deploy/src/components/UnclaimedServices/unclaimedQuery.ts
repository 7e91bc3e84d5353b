import {
  unclaimedServicesQuerySchema,
  type ParsedUnclaimedServicesQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { useUrlQuery } from '../../hooks/useUrlQuery';

/** The unclaimed services page's query, kept in the page URL. */
export type UnclaimedQuery = ParsedUnclaimedServicesQuery;

const KEYS = ['environment', 'owner', 'search', 'offset', 'limit'] as const;

/** The query in the URL and a setter (see {@link useUrlQuery}). */
export function useUnclaimedQuery(): [
  UnclaimedQuery,
  (change: Partial<UnclaimedQuery>) => void,
] {
  return useUrlQuery<UnclaimedQuery>(unclaimedServicesQuerySchema, KEYS);
}
