import type { ReactNode } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import HistoryIcon from '@material-ui/icons/History';
import {
  imageVersion,
  type EcsDeployInfo,
  type TeamServiceRow,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { environmentTitle, formatTaskDefinition } from '../../lib/format';
import { promotionStanding } from '../../lib/promotion';
import { Ellipsis, type EcsColumn } from '../EcsTable';
import { HealthStatus } from '../HealthStatus';

const useStyles = makeStyles(theme => ({
  marker: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

/** The lag state the backend sent for a path of the row, explained with the row's cells. */
export function rowStanding(
  row: TeamServiceRow,
  lag: TeamServiceRow['lags'][number],
) {
  return promotionStanding(lag, lag.state, row.environments);
}

/** The key of a service row. */
export const serviceRowKey = (row: TeamServiceRow) => row.entityRef;

/** How each promotion target of a row compares with its source, in words. */
export function LagMarkers(props: { row: TeamServiceRow }) {
  const classes = useStyles();
  if (props.row.lags.length === 0) {
    return <>—</>;
  }
  return (
    <>
      {props.row.lags.map(lag => {
        const { state, environment } = rowStanding(props.row, lag);
        let icon;
        let text;
        if (state === 'behind') {
          icon = <HistoryIcon fontSize="small" color="secondary" aria-hidden />;
          text = `${lag.to} behind ${lag.from}`;
        } else if (state === 'level') {
          icon = <CheckIcon fontSize="small" aria-hidden />;
          text = `${lag.to} up to date with ${lag.from}`;
        } else if (state === 'not-deployed') {
          text = `${environment} not deployed`;
        } else if (environment) {
          text = `Cannot compare: no images known for ${environment}`;
        } else {
          text = `Cannot compare: ${lag.from} and ${lag.to} share no container`;
        }
        return (
          <Box key={`${lag.from}->${lag.to}`}>
            <Typography
              variant="body2"
              color={state === 'behind' ? 'textPrimary' : 'textSecondary'}
              className={classes.marker}
            >
              {icon}
              {text}
            </Typography>
          </Box>
        );
      })}
    </>
  );
}

/** The Service column: each row's header, the service linked to its entity page. */
export function serviceColumn(sort?: string): EcsColumn<TeamServiceRow> {
  return {
    id: 'service',
    title: 'Service',
    rowHeader: true,
    sort,
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  };
}

/** The Promotion column: how the row compares along its paths, and `extra` under it. */
export function promotionColumn(options: {
  sort?: string;
  wraps?: boolean;
  extra?: (row: TeamServiceRow) => ReactNode;
}): EcsColumn<TeamServiceRow> {
  return {
    id: 'promotion',
    title: 'Promotion',
    groupStart: true,
    sort: options.sort,
    wraps: options.wraps,
    render: row => (
      <>
        <LagMarkers row={row} />
        {options.extra?.(row)}
      </>
    ),
  };
}

type Cell = TeamServiceRow['environments'][string];

function HealthCell(props: { cell: Cell }) {
  const { cell } = props;
  return (
    <>
      <HealthStatus health={cell.health} />
      {cell.stale && (
        <Typography variant="caption" display="block">
          Stale
        </Typography>
      )}
      {cell.error && (
        <Typography variant="caption" color="error" component="div">
          <Ellipsis text={cell.error.message} />
        </Typography>
      )}
    </>
  );
}

/**
 * One group of Health, Image and Revision per environment, under the environment's title. A
 * service not deployed in an environment says so across the three. `healthSort` gives an
 * environment's Health column the server's sort key.
 */
export function environmentColumns(
  environments: string[],
  info: EcsDeployInfo | undefined,
  healthSort?: (environment: string) => string | undefined,
): EcsColumn<TeamServiceRow>[] {
  return environments.flatMap(env => {
    const group = { id: env, title: environmentTitle(env, info) };
    const cellOf = (row: TeamServiceRow) => row.environments[env];
    const covered = (row: TeamServiceRow) => (cellOf(row) ? 1 : 0);
    return [
      {
        id: `${env}:health`,
        title: 'Health',
        group,
        groupStart: true,
        sort: healthSort?.(env),
        span: row => (cellOf(row) ? 1 : 3),
        render: row => {
          const cell = cellOf(row);
          return cell ? <HealthCell cell={cell} /> : 'Not deployed here';
        },
      },
      {
        id: `${env}:image`,
        title: 'Image',
        group,
        span: covered,
        render: row => {
          const images = cellOf(row)?.images ?? [];
          return images.length
            ? images.map(i => (
                <Ellipsis
                  key={i.container}
                  text={imageVersion(i)}
                  title={i.image}
                />
              ))
            : '—';
        },
      },
      {
        id: `${env}:revision`,
        title: 'Revision',
        group,
        span: covered,
        // The revision number; the family (service and environment) on hover.
        render: row => {
          const taskDefinition = cellOf(row)?.taskDefinition;
          return taskDefinition ? (
            <Ellipsis
              text={String(taskDefinition.revision)}
              title={formatTaskDefinition(taskDefinition)}
            />
          ) : (
            '—'
          );
        },
      },
    ];
  });
}
