import {
  orgStatusQuerySchema,
  type OrgStatusQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { useUrlQuery } from '../../hooks/useUrlQuery';

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

/** The query in the URL and a setter (see {@link useUrlQuery}). */
export function useOrgQuery(): [OrgQuery, (change: Partial<OrgQuery>) => void] {
  return useUrlQuery<OrgQuery>(orgStatusQuerySchema, KEYS);
}
