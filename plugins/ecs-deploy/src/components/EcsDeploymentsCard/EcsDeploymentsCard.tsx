import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  useDeploymentHistory,
  useEcsDeployInfo,
  useEntityDeploymentStatus,
} from '../../hooks/useEcsDeployData';
import { ownerName } from '../../lib/format';
import { DeploymentPipeline } from '../DeploymentPipeline';
import { FreezeWindowNotices } from '../FreezeWindowNotices';
import { PolledContent, RefreshWarning } from '../PolledContent';

/** Who deployed what runs now: the last few records are enough. */
const HISTORY_LIMIT = 20;

/** The overview card: the entity's pipeline in compact form. */
export function EcsDeploymentsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const status = useEntityDeploymentStatus(entityRef);
  const history = useDeploymentHistory(entityRef, { limit: HISTORY_LIMIT });
  const info = useEcsDeployInfo();

  return (
    <InfoCard title="ECS deployments">
      <PolledContent state={status}>
        {value => (
          <>
            <RefreshWarning error={status.error} />
            <FreezeWindowNotices info={info.value} />
            <DeploymentPipeline
              compact
              entityRef={entityRef}
              approvers={ownerName(entity)}
              status={value}
              info={info.value}
              history={history.value}
              onStarted={() => {
                status.retry();
                history.retry();
              }}
            />
          </>
        )}
      </PolledContent>
    </InfoCard>
  );
}
