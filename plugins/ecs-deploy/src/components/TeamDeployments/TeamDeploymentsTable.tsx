import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  EcsDeployInfo,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { environmentTitle } from '../../lib/format';
import { PromoteButton } from '../PromoteButton';
import {
  EnvironmentCells,
  LagMarkers,
  ScrollingTable,
  ServiceCell,
  environmentHeaders,
  rowStanding,
  useServiceTableStyles,
} from '../ServiceRows';

/** Every service of a team, one column group per environment. */
export function TeamDeploymentsTable(props: {
  status: TeamStatus;
  info?: EcsDeployInfo;
  onStarted?: () => void;
}) {
  const { status, info } = props;
  const classes = useServiceTableStyles();
  if (status.rows.length === 0) {
    return (
      <Typography variant="body2">
        This team owns no service deployed with ECS.
      </Typography>
    );
  }
  const headers = environmentHeaders(
    status.environments,
    info,
    classes.groupStart,
  );
  return (
    <ScrollingTable label="Team deployments">
      <Table
        size="small"
        aria-label="Team deployments"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            <TableCell rowSpan={2}>Service</TableCell>
            {headers.groups}
            <TableCell rowSpan={2} className={classes.groupStart}>
              Promotion
            </TableCell>
          </TableRow>
          <TableRow>{headers.columns}</TableRow>
        </TableHead>
        <TableBody>
          {status.rows.map(row => (
            <TableRow key={row.entityRef}>
              <ServiceCell row={row} />
              <EnvironmentCells row={row} environments={status.environments} />
              <TableCell className={`${classes.groupStart} ${classes.wraps}`}>
                <LagMarkers row={row} />
                {row.lags.map(lag => (
                  <Box mt={1} key={`${lag.from}->${lag.to}`}>
                    <PromoteButton
                      entityRef={row.entityRef}
                      from={lag.from}
                      to={lag.to}
                      fromTitle={environmentTitle(lag.from, info)}
                      toTitle={environmentTitle(lag.to, info)}
                      disabledReason={rowStanding(row, lag).disabledReason}
                      onStarted={props.onStarted}
                    />
                  </Box>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollingTable>
  );
}
