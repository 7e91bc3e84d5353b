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
import { promotionStanding } from '../../lib/promotion';
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

/** The lag state the backend sent for a path of the row, explained with the row's cells. */
function standing(row: TeamServiceRow, lag: TeamServiceRow['lags'][number]) {
  return promotionStanding(lag, lag.state, row.environments);
}

function LagMarkers(props: { row: TeamServiceRow }) {
  const classes = useStyles();
  if (props.row.lags.length === 0) {
    return <>—</>;
  }
  return (
    <>
      {props.row.lags.map(lag => {
        const { state, environment } = standing(props.row, lag);
        let marker;
        if (state === 'behind') {
          marker = (
            <Typography variant="body2" className={classes.marker}>
              <HistoryIcon fontSize="small" color="secondary" aria-hidden />
              {lag.to} behind {lag.from}
            </Typography>
          );
        } else if (state === 'level') {
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
          let text;
          if (state === 'not-deployed') {
            text = `${environment} not deployed`;
          } else if (environment) {
            text = `Cannot compare: no images known for ${environment}`;
          } else {
            text = `Cannot compare: ${lag.from} and ${lag.to} share no container`;
          }
          marker = (
            <Typography
              variant="body2"
              color="textSecondary"
              className={classes.marker}
            >
              {text}
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
              <LagMarkers row={row} />
              {row.lags.map(lag => (
                <Box mt={1} key={`${lag.from}->${lag.to}`}>
                  <PromoteButton
                    entityRef={row.entityRef}
                    from={lag.from}
                    to={lag.to}
                    fromTitle={environmentTitle(lag.from, info)}
                    toTitle={environmentTitle(lag.to, info)}
                    disabledReason={standing(row, lag).disabledReason}
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
