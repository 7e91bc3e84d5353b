import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import type {
  EcsDeployInfo,
  EntityDeploymentStatus,
} from '@internal/plugin-ecs-deploy-common';
import {
  useDeploymentHistory,
  useEcsDeployInfo,
  useEntityDeploymentStatus,
} from '../../hooks/useEcsDeployData';
import { environmentTitle, sortEnvironments } from '../../lib/format';
import {
  FreezeWindowNotices,
  PromotionButtons,
} from '../EcsDeploymentsCard/EcsDeploymentsCard';
import { EnvironmentSummary } from '../EnvironmentSummary';
import { PolledContent, RefreshWarning } from '../PolledContent';
import { RollbackButton } from '../RollbackButton';
import { DeploymentsTable } from './DeploymentsTable';
import { EventsList } from './EventsList';
import { HistoryTable } from './HistoryTable';
import { TasksPanel } from './TasksPanel';

function History(props: { entityRef: string }) {
  const history = useDeploymentHistory(props.entityRef);
  return (
    <PolledContent state={history} errorTitle="History">
      {items => <HistoryTable items={items} />}
    </PolledContent>
  );
}

/** The "Deployments" tab of an entity: every environment in detail, and the history. */
export function EcsDeploymentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const status = useEntityDeploymentStatus(entityRef);
  const info = useEcsDeployInfo();

  return (
    <PolledContent state={status}>
      {value => (
        <EntityDeployments
          entityRef={entityRef}
          status={value}
          info={info.value}
          refreshError={status.error}
          onStarted={status.retry}
        />
      )}
    </PolledContent>
  );
}

function EntityDeployments(props: {
  entityRef: string;
  status: EntityDeploymentStatus;
  info?: EcsDeployInfo;
  refreshError?: Error;
  onStarted: () => void;
}) {
  const { entityRef, info } = props;
  const environments = sortEnvironments(props.status.environments, info);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <RefreshWarning error={props.refreshError} />
        <FreezeWindowNotices info={info} />
        <PromotionButtons
          entityRef={entityRef}
          status={props.status}
          info={info}
          onStarted={props.onStarted}
        />
      </Grid>
      {environments.map(env => {
        const title = environmentTitle(env.environment, info);
        return (
          <Grid item xs={12} key={env.environment}>
            <InfoCard title={`${title} (${env.cluster}, ${env.region})`}>
              <Grid container spacing={2}>
                <Grid item xs={12} md={5}>
                  <EnvironmentSummary status={env} title={title} />
                  {env.service && (
                    <Box mt={2}>
                      <RollbackButton
                        entityRef={entityRef}
                        environment={env.environment}
                        environmentTitle={title}
                        onStarted={props.onStarted}
                      />
                    </Box>
                  )}
                </Grid>
                <Grid item xs={12} md={7}>
                  {env.service ? (
                    <EventsList
                      title={`Recent events (${title})`}
                      events={env.service.events}
                    />
                  ) : null}
                </Grid>
                {env.service && (
                  <Grid item xs={12}>
                    <DeploymentsTable
                      title={`Deployments in ${title}`}
                      deployments={env.service.deployments}
                    />
                  </Grid>
                )}
                {env.health !== 'not-deployed' && (
                  <Grid item xs={12}>
                    <TasksPanel
                      entityRef={entityRef}
                      environment={env.environment}
                      environmentTitle={title}
                    />
                  </Grid>
                )}
              </Grid>
            </InfoCard>
          </Grid>
        );
      })}
      <Grid item xs={12}>
        <History entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
