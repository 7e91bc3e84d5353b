import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useEcsDeployInfo, useOrgStatus } from '../../hooks/useEcsDeployData';
import { environmentTitle } from '../../lib/format';
import { NoMatches } from '../Filters';
import { RefreshWarning } from '../PolledContent';
import { OrgDeploymentsTable } from './OrgDeploymentsTable';
import { OrgFilters } from './OrgFilters';
import { useOrgQuery } from './orgQuery';

/** The groups among the signed-in user's ownership refs. */
function useMyTeams(): string[] {
  const identityApi = useApi(identityApiRef);
  const teams = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return identity.ownershipEntityRefs.filter(
      ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
    );
  }, [identityApi]);
  return teams.value ?? [];
}

/**
 * `/ecs-deploy`: every service of every team with its environments and promotion state;
 * filtered, searched, sorted and paged on the server.
 */
export function OrgDeploymentsPage() {
  const [query, setQuery] = useOrgQuery();
  const status = useOrgStatus(query);
  const info = useEcsDeployInfo();
  const myTeams = useMyTeams();
  const firstPath = info.value?.promotionPaths[0];
  const target = firstPath?.to;
  const filtered = Boolean(query.team || query.lag || query.health || query.q);

  let body;
  if (status.value) {
    body =
      status.value.rows.length === 0 && !status.loading ? (
        <NoMatches
          filtered={filtered}
          noMatch="No service matches these filters."
          empty="No service in the catalog is deployed with ECS yet."
          onClear={() =>
            setQuery({
              team: undefined,
              lag: undefined,
              health: undefined,
              q: undefined,
            })
          }
        />
      ) : (
        <OrgDeploymentsTable
          status={status.value}
          info={info.value}
          query={query}
          onChange={setQuery}
          loading={status.loading}
          target={target}
        />
      );
  } else if (status.loading) {
    body = <Progress />;
  } else if (status.error) {
    body = <ResponseErrorPanel error={status.error} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Deployments"
        subtitle="Every service of every team, per environment"
      />
      <Content>
        <Typography variant="body2" paragraph>
          ECS services that no entity owns yet are listed under{' '}
          {/* Relative: the unclaimed services page is mounted below this one. */}
          <Link to="unclaimed" underline="always">
            Unclaimed services
          </Link>
          , to adopt.
        </Typography>
        <OrgFilters
          query={query}
          onChange={setQuery}
          teams={status.value?.teams ?? []}
          myTeams={myTeams}
          target={target && environmentTitle(target, info.value)}
        />
        {status.value && <RefreshWarning error={status.error} />}
        {status.value && (
          <Typography variant="body2" gutterBottom>
            {status.value.total === 1
              ? `1 service${filtered ? ' matches' : ''}`
              : `${status.value.total} services${filtered ? ' match' : ''}`}
            {firstPath &&
              `; promotion and health filters look at ${environmentTitle(
                firstPath.to,
                info.value,
              )}`}
          </Typography>
        )}
        <Paper>{body}</Paper>
      </Content>
    </Page>
  );
}
