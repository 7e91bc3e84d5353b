import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { TeamDeployments } from './TeamDeployments';

/** The groups among the signed-in user's ownership refs. */
function useMyGroups() {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return identity.ownershipEntityRefs.filter(
      ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
    );
  }, [identityApi]);
}

/** Standalone page: the deployments of every team the signed-in user belongs to. */
export function TeamDeploymentsPage() {
  const groups = useMyGroups();
  let content;
  if (groups.loading) {
    content = <Progress />;
  } else if (groups.error) {
    content = <ResponseErrorPanel error={groups.error} />;
  } else if (!groups.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="You are in no team"
        description="Deployments are listed per team; your sign-in carries no group membership."
      />
    );
  } else {
    content = (
      <Grid container spacing={3}>
        {groups.value.map(ref => (
          <Grid item xs={12} key={ref}>
            <TeamDeployments
              groupRef={ref}
              title={`Deployments of ${humanizeEntityRef(parseEntityRef(ref), {
                defaultKind: 'group',
              })}`}
            />
          </Grid>
        ))}
      </Grid>
    );
  }
  return <Content>{content}</Content>;
}
