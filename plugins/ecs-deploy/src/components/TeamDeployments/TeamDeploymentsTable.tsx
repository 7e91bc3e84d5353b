import { Fragment } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import HistoryIcon from '@material-ui/icons/History';
import type {
  EcsDeployInfo,
  TeamServiceRow,
  TeamStatus,
} from '@internal/plugin-ecs-deploy-common';
import {
  environmentTitle,
  formatImageVersion,
  formatTaskDefinition,
} from '../../lib/format';
import { HealthStatus } from '../HealthStatus';
import { PromoteButton } from '../PromoteButton';

const useStyles = makeStyles(theme => ({
  groupStart: { borderLeft: `1px solid ${theme.palette.divider}` },
  marker: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

type LagState =
  | { kind: 'behind' }
  | { kind: 'level' }
  | { kind: 'not-deployed'; environment: string }
  | { kind: 'unreadable'; environment: string };

/**
 * What a promotion path of a row amounts to. The backend's `lagging` is false whenever either
 * side has no images, so "not lagging" alone does not mean "up to date": an environment where
 * the service is not deployed, or that could not be read, has nothing to compare.
 */
function lagState(
  row: TeamServiceRow,
  lag: TeamServiceRow['lags'][number],
): LagState {
  if (lag.lagging) {
    return { kind: 'behind' };
  }
  for (const environment of [lag.from, lag.to]) {
    const cell = row.environments[environment];
    if (!cell || cell.health === 'not-deployed') {
      return { kind: 'not-deployed', environment };
    }
  }
  for (const environment of [lag.from, lag.to]) {
    if (row.environments[environment].images.length === 0) {
      return { kind: 'unreadable', environment };
    }
  }
  return { kind: 'level' };
}

/** Why the row's promote button is disabled, if it is for the state of the environments. */
function promoteDisabledReason(
  row: TeamServiceRow,
  lag: TeamServiceRow['lags'][number],
): string | undefined {
  const state = lagState(row, lag);
  switch (state.kind) {
    case 'level':
      return `${lag.to} already runs the images of ${lag.from}.`;
    case 'not-deployed':
      return `${state.environment} is not deployed: nothing to promote.`;
    default:
      // Behind, or not readable now: the dialog reads both environments again.
      return undefined;
  }
}

function LagMarkers(props: { row: TeamServiceRow; info?: EcsDeployInfo }) {
  const classes = useStyles();
  if (props.row.lags.length === 0) {
    return <>—</>;
  }
  return (
    <>
      {props.row.lags.map(lag => {
        const state = lagState(props.row, lag);
        let marker;
        if (state.kind === 'behind') {
          marker = (
            <Typography variant="body2" className={classes.marker}>
              <HistoryIcon fontSize="small" color="secondary" aria-hidden />
              {lag.to} behind {lag.from}
            </Typography>
          );
        } else if (state.kind === 'level') {
          marker = (
            <Typography
              variant="body2"
              color="textSecondary"
              className={classes.marker}
            >
              <CheckIcon fontSize="small" aria-hidden />
              {lag.to} up to date with {lag.from}
            </Typography>
          );
        } else {
          marker = (
            <Typography
              variant="body2"
              color="textSecondary"
              className={classes.marker}
            >
              {state.kind === 'not-deployed'
                ? `${state.environment} not deployed`
                : `Cannot compare: no images known for ${state.environment}`}
            </Typography>
          );
        }
        return <Box key={`${lag.from}->${lag.to}`}>{marker}</Box>;
      })}
    </>
  );
}

/** Every service of a team, one column group per environment. */
export function TeamDeploymentsTable(props: {
  status: TeamStatus;
  info?: EcsDeployInfo;
  onStarted?: () => void;
}) {
  const { status, info } = props;
  const classes = useStyles();
  if (status.rows.length === 0) {
    return (
      <Typography variant="body2">
        This team owns no service deployed with ECS.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Team deployments">
      <TableHead>
        <TableRow>
          <TableCell rowSpan={2}>Service</TableCell>
          {status.environments.map(env => (
            <TableCell
              key={env}
              colSpan={3}
              align="center"
              className={classes.groupStart}
            >
              {environmentTitle(env, info)}
            </TableCell>
          ))}
          <TableCell rowSpan={2} className={classes.groupStart}>
            Promotion
          </TableCell>
        </TableRow>
        <TableRow>
          {status.environments.map(env => (
            <Fragment key={env}>
              <TableCell className={classes.groupStart}>Health</TableCell>
              <TableCell>Image</TableCell>
              <TableCell>Revision</TableCell>
            </Fragment>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {status.rows.map(row => (
          <TableRow key={row.entityRef}>
            <TableCell component="th" scope="row">
              <EntityRefLink entityRef={row.entityRef} title={row.title} />
            </TableCell>
            {status.environments.map(env => {
              const cell = row.environments[env];
              if (!cell) {
                return (
                  <TableCell
                    key={env}
                    colSpan={3}
                    className={classes.groupStart}
                  >
                    Not deployed here
                  </TableCell>
                );
              }
              return (
                <Fragment key={env}>
                  <TableCell className={classes.groupStart}>
                    <HealthStatus health={cell.health} />
                    {cell.stale && (
                      <Typography variant="caption" display="block">
                        Stale
                      </Typography>
                    )}
                    {cell.error && (
                      <Typography
                        variant="caption"
                        display="block"
                        color="error"
                      >
                        {cell.error.message}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {cell.images.length
                      ? cell.images.map(i => (
                          <div key={i.container}>{formatImageVersion(i)}</div>
                        ))
                      : '—'}
                  </TableCell>
                  <TableCell>
                    {formatTaskDefinition(cell.taskDefinition)}
                  </TableCell>
                </Fragment>
              );
            })}
            <TableCell className={classes.groupStart}>
              <LagMarkers row={row} info={info} />
              {row.lags.map(lag => (
                <Box mt={1} key={`${lag.from}->${lag.to}`}>
                  <PromoteButton
                    entityRef={row.entityRef}
                    from={lag.from}
                    to={lag.to}
                    fromTitle={environmentTitle(lag.from, info)}
                    toTitle={environmentTitle(lag.to, info)}
                    disabledReason={promoteDisabledReason(row, lag)}
                    onStarted={props.onStarted}
                  />
                </Box>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
