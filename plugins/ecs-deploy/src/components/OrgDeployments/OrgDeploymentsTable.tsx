import { EntityRefLink } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import type {
  EcsDeployInfo,
  OrgServiceRow,
  OrgStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsTable, type EcsColumn } from '../EcsTable';
import {
  environmentColumns,
  promotionColumn,
  serviceColumn,
  serviceRowKey,
} from '../ServiceRows';
import type { OrgQuery } from './orgQuery';

/** Page sizes offered; the server pages, so 1,000 services stay fluid. */
export const PAGE_SIZES = [25, 50, 100];

type Sort = OrgQuery['sort'];

const teamColumn: EcsColumn<OrgServiceRow> = {
  id: 'team',
  title: 'Team',
  sort: 'team',
  render: row => <EntityRefLink entityRef={row.owner} defaultKind="group" />,
};

/** Every service of every team, one page of it, sorted and paged by the server. */
export function OrgDeploymentsTable(props: {
  status: OrgStatus;
  info?: EcsDeployInfo;
  query: OrgQuery;
  onChange: (change: Partial<OrgQuery>) => void;
  /** A new page or filter is loading (the rows shown are the previous answer's). */
  loading: boolean;
  /** The environment the backend sorts health by (the first promotion path's target). */
  target?: string;
}) {
  const { status, info, query, onChange, target } = props;
  const columns: EcsColumn<OrgServiceRow>[] = [
    serviceColumn('name'),
    teamColumn,
    // The backend sorts health by the first promotion path's target.
    ...environmentColumns(status.environments, info, env =>
      env === target ? 'health' : undefined,
    ),
    promotionColumn({ sort: 'lag' }),
  ];
  return (
    <>
      {props.loading && <LinearProgress aria-label="Loading services" />}
      <EcsTable
        label="Services of every team"
        rows={status.rows}
        rowKey={serviceRowKey}
        columns={columns}
        busy={props.loading}
        sort={{
          by: query.sort,
          order: query.order,
          onChange: (sort, order) => onChange({ sort: sort as Sort, order }),
        }}
        paging={{
          page: Math.floor(query.offset / query.limit),
          pageSize: query.limit,
          pageSizes: PAGE_SIZES,
          total: status.total,
          onPageChange: page => onChange({ offset: page * query.limit }),
          onPageSizeChange: limit => onChange({ limit }),
        }}
      />
    </>
  );
}
