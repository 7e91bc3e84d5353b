import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { useEcsDeployInfo, useTeamStatus } from '../../hooks/useEcsDeployData';
import { TeamDeploymentsTable } from './TeamDeploymentsTable';

/** The deployments of every service a group owns. */
export function TeamDeployments(props: { groupRef: string; title?: string }) {
  const status = useTeamStatus(props.groupRef);
  const info = useEcsDeployInfo();

  let content;
  if (!status.value && status.loading) {
    content = <Progress />;
  } else if (!status.value && status.error) {
    content = <ResponseErrorPanel error={status.error} />;
  } else if (status.value) {
    content = (
      <>
        {status.error && (
          <Box mb={1}>
            <Alert severity="warning">
              Could not refresh: {status.error.message}
            </Alert>
          </Box>
        )}
        <TeamDeploymentsTable
          status={status.value}
          info={info.value}
          onStarted={status.retry}
        />
      </>
    );
  }
  return (
    <InfoCard title={props.title ?? 'Team deployments'}>{content}</InfoCard>
  );
}

/** The "Deployments" tab of a Group entity. */
export function TeamDeploymentsContent() {
  const { entity } = useEntity();
  return (
    <TeamDeployments
      groupRef={stringifyEntityRef(entity)}
      title={`Deployments of ${entity.metadata.title ?? entity.metadata.name}`}
    />
  );
}
