import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useEcsDeployInfo, useTeamStatus } from '../../hooks/useEcsDeployData';
import { PolledContent, RefreshWarning } from '../PolledContent';
import { TeamDeploymentsTable } from './TeamDeploymentsTable';

/** The deployments of every service a group owns. */
export function TeamDeployments(props: { groupRef: string; title?: string }) {
  const status = useTeamStatus(props.groupRef);
  const info = useEcsDeployInfo();

  return (
    <InfoCard title={props.title ?? 'Team deployments'}>
      <PolledContent state={status}>
        {value => (
          <>
            <RefreshWarning error={status.error} />
            <TeamDeploymentsTable
              status={value}
              info={info.value}
              onStarted={status.retry}
            />
          </>
        )}
      </PolledContent>
    </InfoCard>
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
