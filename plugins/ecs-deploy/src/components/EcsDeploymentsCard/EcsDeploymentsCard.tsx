import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid, { type GridSize } from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import type {
  EcsDeployInfo,
  EntityDeploymentStatus,
} from '@internal/plugin-ecs-deploy-common';
import {
  useEcsDeployInfo,
  useEntityDeploymentStatus,
} from '../../hooks/useEcsDeployData';
import {
  environmentTitle,
  formatTime,
  sortEnvironments,
} from '../../lib/format';
import { entityPromotionStanding } from '../../lib/promotion';
import { EnvironmentSummary } from '../EnvironmentSummary';
import { PolledContent, RefreshWarning } from '../PolledContent';
import { PromoteButton } from '../PromoteButton';

/** Freeze windows open now, as notices. */
export function FreezeWindowNotices(props: { info?: EcsDeployInfo }) {
  const windows = props.info?.activeFreezeWindows ?? [];
  if (windows.length === 0) {
    return null;
  }
  return (
    <>
      {windows.map(w => (
        <Box mb={1} key={w.name}>
          <Alert severity="info">
            Freeze window “{w.name}” on{' '}
            {w.environments
              .map(e => environmentTitle(e, props.info))
              .join(', ')}{' '}
            until {formatTime(w.endsAt)}
            {w.reason ? `: ${w.reason}` : ''}
          </Alert>
        </Box>
      ))}
    </>
  );
}

/**
 * One button per promotion path of the entity, disabled with the reason when the target already
 * runs the source's images or either side is not deployed.
 */
export function PromotionButtons(props: {
  entityRef: string;
  status: EntityDeploymentStatus;
  info?: EcsDeployInfo;
  onStarted?: () => void;
}) {
  const { entityRef, status, info } = props;
  if (status.promotionPaths.length === 0) {
    return null;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      {status.promotionPaths.map(path => (
        <PromoteButton
          key={`${path.from}->${path.to}`}
          entityRef={entityRef}
          from={path.from}
          to={path.to}
          fromTitle={environmentTitle(path.from, info)}
          toTitle={environmentTitle(path.to, info)}
          disabledReason={
            entityPromotionStanding(path, status.environments).disabledReason
          }
          onStarted={props.onStarted}
        />
      ))}
    </Box>
  );
}

/** The environments of an entity side by side, with promotion buttons. */
export function EcsDeploymentsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const status = useEntityDeploymentStatus(entityRef);
  const info = useEcsDeployInfo();

  return (
    <InfoCard title="ECS deployments">
      <PolledContent state={status}>
        {value => {
          const environments = sortEnvironments(value.environments, info.value);
          return (
            <>
              <RefreshWarning error={status.error} />
              <FreezeWindowNotices info={info.value} />
              <Grid container spacing={3}>
                {environments.map(env => (
                  <Grid
                    item
                    xs={12}
                    md={
                      Math.max(
                        3,
                        Math.floor(12 / environments.length),
                      ) as GridSize
                    }
                    key={env.environment}
                  >
                    <EnvironmentSummary
                      status={env}
                      title={environmentTitle(env.environment, info.value)}
                    />
                  </Grid>
                ))}
              </Grid>
              <Box mt={2}>
                <PromotionButtons
                  entityRef={entityRef}
                  status={value}
                  info={info.value}
                  onStarted={status.retry}
                />
              </Box>
            </>
          );
        }}
      </PolledContent>
    </InfoCard>
  );
}
