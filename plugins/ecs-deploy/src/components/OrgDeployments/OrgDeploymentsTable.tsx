import { EntityRefLink } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import type {
  EcsDeployInfo,
  OrgStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  EnvironmentCells,
  LagMarkers,
  ScrollingTable,
  ServiceCell,
  environmentHeaders,
  useServiceTableStyles,
} from '../ServiceRows';
import type { OrgQuery } from './orgQuery';

/** Page sizes offered; the server pages, so 1,000 services stay fluid. */
export const PAGE_SIZES = [25, 50, 100];

type Sort = OrgQuery['sort'];

/** Every service of every team, one page of it, sortable by the server. */
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
  const classes = useServiceTableStyles();
  const sortLabel = (sort: Sort, label: string) => (
    <TableSortLabel
      active={query.sort === sort}
      direction={query.sort === sort ? query.order : 'asc'}
      onClick={() =>
        onChange({
          sort,
          order: query.sort === sort && query.order === 'asc' ? 'desc' : 'asc',
        })
      }
    >
      {label}
    </TableSortLabel>
  );
  const sortedBy = (sort: Sort) => {
    if (query.sort !== sort) return undefined;
    return query.order === 'asc' ? 'ascending' : 'descending';
  };

  const headers = environmentHeaders(
    status.environments,
    info,
    classes.groupStart,
    // The backend sorts health by the first promotion path's target.
    env =>
      env === target
        ? { label: sortLabel('health', 'Health'), sort: sortedBy('health') }
        : undefined,
  );

  return (
    <>
      {props.loading && <LinearProgress aria-label="Loading services" />}
      <ScrollingTable label="Services of every team">
        <Table
          size="small"
          aria-label="Services of every team"
          aria-busy={props.loading}
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell rowSpan={2} aria-sort={sortedBy('name')}>
                {sortLabel('name', 'Service')}
              </TableCell>
              <TableCell rowSpan={2} aria-sort={sortedBy('team')}>
                {sortLabel('team', 'Team')}
              </TableCell>
              {headers.groups}
              <TableCell
                rowSpan={2}
                className={classes.groupStart}
                aria-sort={sortedBy('lag')}
              >
                {sortLabel('lag', 'Promotion')}
              </TableCell>
            </TableRow>
            <TableRow>{headers.columns}</TableRow>
          </TableHead>
          <TableBody>
            {status.rows.map(row => (
              <TableRow key={row.entityRef}>
                <ServiceCell row={row} />
                <TableCell>
                  <EntityRefLink entityRef={row.owner} defaultKind="group" />
                </TableCell>
                <EnvironmentCells
                  row={row}
                  environments={status.environments}
                />
                <TableCell className={classes.groupStart}>
                  <LagMarkers row={row} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollingTable>
      <TablePagination
        component="div"
        count={status.total}
        page={Math.floor(query.offset / query.limit)}
        rowsPerPage={query.limit}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_event, page) =>
          onChange({ offset: page * query.limit })
        }
        onRowsPerPageChange={event =>
          onChange({ limit: Number(event.target.value) })
        }
      />
    </>
  );
}
