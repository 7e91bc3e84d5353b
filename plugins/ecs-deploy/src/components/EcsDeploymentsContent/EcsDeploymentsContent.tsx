import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
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
import { RollbackButton } from '../RollbackButton';
import { DeploymentsTable } from './DeploymentsTable';
import { EventsList } from './EventsList';
import { HistoryTable } from './HistoryTable';
import { TasksPanel } from './TasksPanel';

function History(props: { entityRef: string }) {
  const history = useDeploymentHistory(props.entityRef);
  if (!history.value && history.loading) {
    return <Progress />;
  }
  if (!history.value && history.error) {
    return <ResponseErrorPanel error={history.error} title="History" />;
  }
  return <HistoryTable items={history.value ?? []} />;
}

/** The "Deployments" tab of an entity: every environment in detail, and the history. */
export function EcsDeploymentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const status = useEntityDeploymentStatus(entityRef);
  const info = useEcsDeployInfo();

  if (!status.value && status.loading) {
    return <Progress />;
  }
  if (!status.value) {
    return status.error ? <ResponseErrorPanel error={status.error} /> : null;
  }
  const environments = sortEnvironments(status.value.environments, info.value);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {status.error && (
          <Box mb={1}>
            <Alert severity="warning">
              Could not refresh: {status.error.message}
            </Alert>
          </Box>
        )}
        <FreezeWindowNotices info={info.value} />
        <PromotionButtons
          entityRef={entityRef}
          status={status.value}
          info={info.value}
          onStarted={status.retry}
        />
      </Grid>
      {environments.map(env => {
        const title = environmentTitle(env.environment, info.value);
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
                        onStarted={status.retry}
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
