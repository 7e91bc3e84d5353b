import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  EcsDeployInfo,
  TeamServiceRow,
  TeamStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { environmentTitle } from '../../lib/format';
import { EcsTable } from '../EcsTable';
import { PromoteButton } from '../PromoteButton';
import {
  environmentColumns,
  promotionColumn,
  rowStanding,
  serviceColumn,
  serviceRowKey,
} from '../ServiceRows';

/** Every service of a team, one column group per environment, a promote button per path. */
export function TeamDeploymentsTable(props: {
  status: TeamStatus;
  info?: EcsDeployInfo;
  onStarted?: () => void;
}) {
  const { status, info, onStarted } = props;
  if (status.rows.length === 0) {
    return (
      <Typography variant="body2">
        This team owns no service deployed with ECS.
      </Typography>
    );
  }
  const promoteButtons = (row: TeamServiceRow) =>
    row.lags.map(lag => (
      <Box mt={1} key={`${lag.from}->${lag.to}`}>
        <PromoteButton
          entityRef={row.entityRef}
          from={lag.from}
          to={lag.to}
          fromTitle={environmentTitle(lag.from, info)}
          toTitle={environmentTitle(lag.to, info)}
          disabledReason={rowStanding(row, lag).disabledReason}
          onStarted={onStarted}
        />
      </Box>
    ));
  return (
    <EcsTable
      label="Team deployments"
      rows={status.rows}
      rowKey={serviceRowKey}
      columns={[
        serviceColumn(),
        ...environmentColumns(status.environments, info),
        // Only the sentences of this column wrap (why a button is disabled).
        promotionColumn({ wraps: true, extra: promoteButtons }),
      ]}
    />
  );
}
