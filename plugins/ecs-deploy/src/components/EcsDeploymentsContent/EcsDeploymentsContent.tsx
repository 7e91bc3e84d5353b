import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  AuditRecord,
  EcsDeployInfo,
  EntityDeploymentStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  useDeploymentHistory,
  useEcsDeployInfo,
  useEntityDeploymentStatus,
} from '../../hooks/useEcsDeployData';
import {
  environmentTitle,
  ownerName,
  sortEnvironments,
} from '../../lib/format';
import { DeploymentPipeline } from '../DeploymentPipeline';
import { EnvironmentTimeline } from '../EnvironmentTimeline';
import { FreezeWindowNotices } from '../FreezeWindowNotices';
import { LogsView } from '../LogsView';
import { PromotionRequests } from '../PromotionRequests';
import { Verifications } from '../Verifications';
import {
  PolledContent,
  RefreshWarning,
  type PolledState,
} from '../PolledContent';
import { HistoryTable } from './HistoryTable';
import { TasksPanel } from './TasksPanel';

/**
 * The "Deployments" tab of an entity: the pipeline of its environments, then per environment its
 * timeline, tasks and logs, then the promotion history.
 */
export function EcsDeploymentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const status = useEntityDeploymentStatus(entityRef);
  const history = useDeploymentHistory(entityRef);
  const info = useEcsDeployInfo();

  return (
    <PolledContent state={status}>
      {value => (
        <EntityDeployments
          entityRef={entityRef}
          approvers={ownerName(entity)}
          status={value}
          info={info.value}
          history={history}
          refreshError={status.error}
          onStarted={() => {
            status.retry();
            history.retry();
          }}
        />
      )}
    </PolledContent>
  );
}

function EntityDeployments(props: {
  entityRef: string;
  approvers?: string;
  status: EntityDeploymentStatus;
  info?: EcsDeployInfo;
  history: PolledState<AuditRecord[]>;
  refreshError?: Error;
  onStarted: () => void;
}) {
  const { entityRef, info, status } = props;
  const history = props.history.value ?? [];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <RefreshWarning error={props.refreshError} />
        <FreezeWindowNotices info={info} />
        <InfoCard title="Pipeline">
          <DeploymentPipeline
            entityRef={entityRef}
            approvers={props.approvers}
            status={status}
            info={info}
            history={history}
            onStarted={props.onStarted}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <PromotionRequests
          entityRef={entityRef}
          paths={status.promotionPaths}
          titles={env => environmentTitle(env, info)}
          onChanged={props.onStarted}
        />
      </Grid>
      <Grid item xs={12}>
        <Verifications
          entityRef={entityRef}
          titles={env => environmentTitle(env, info)}
          onChanged={props.onStarted}
        />
      </Grid>
      <Grid item xs={12}>
        <Typography variant="h5" component="h2" gutterBottom>
          Timelines
        </Typography>
        {sortEnvironments(status.environments, info).map(env => {
          const title = environmentTitle(env.environment, info);
          return (
            <EnvironmentTimeline
              key={env.environment}
              status={env}
              title={title}
              history={history}
            >
              {env.health !== 'not-deployed' && (
                <>
                  <TasksPanel
                    entityRef={entityRef}
                    environment={env.environment}
                    environmentTitle={title}
                  />
                  <Box mt={3}>
                    <LogsView
                      entityRef={entityRef}
                      environments={[{ name: env.environment, title }]}
                    />
                  </Box>
                </>
              )}
            </EnvironmentTimeline>
          );
        })}
      </Grid>
      <Grid item xs={12}>
        <PolledContent state={props.history} errorTitle="History">
          {items => <HistoryTable items={items} />}
        </PolledContent>
      </Grid>
    </Grid>
  );
}
