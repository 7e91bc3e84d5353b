import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type {
  Adopter,
  UnclaimedService,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import {
  useAdopter,
  useEcsDeployInfo,
  useUnclaimedServices,
} from '../../hooks/useEcsDeployData';
import {
  ADOPT_TEMPLATE,
  adoptDecision,
  adoptTemplatePath,
} from '../../lib/adoption';
import { environmentTitle } from '../../lib/format';
import {
  FilterBar,
  FilterSelect,
  MyTeamChips,
  NoMatches,
  SearchField,
  teamName,
} from '../Filters';
import { RefreshWarning } from '../PolledContent';
import { AdoptDialog, type AdoptionTarget } from './AdoptDialog';
import { BulkAdoptDialog } from './BulkAdoptDialog';
import { UnclaimedCounts } from './UnclaimedCounts';
import { UnclaimedTable, unclaimedKey } from './UnclaimedTable';
import { useUnclaimedQuery } from './unclaimedQuery';

/**
 * Adopts a service: the adoption template, filled in (its name, every environment it is
 * unclaimed in, asked of the backend since the page may show only one, and the owner), when the
 * catalog has the template; else the API's adoption (see {@link AdoptDialog}).
 */
function useAdopt(
  adopter: Adopter | undefined,
  openDialog: (target: AdoptionTarget) => void,
) {
  const api = useApi(ecsDeployApiRef);
  const catalogApi = useApi(catalogApiRef);
  const alertApi = useApi(alertApiRef);
  const navigate = useNavigate();
  const template = useAsync(
    async () =>
      Boolean(
        await catalogApi.getEntityByRef(`template:default/${ADOPT_TEMPLATE}`),
      ),
    [catalogApi],
  );
  return async (service: UnclaimedService) => {
    const decision = adopter && adoptDecision(service, adopter);
    if (!decision?.allowed) return;
    try {
      const same = await api.getUnclaimedServices({
        search: service.serviceName,
        limit: 200,
      });
      const target = {
        serviceName: service.serviceName,
        environments: same.items
          .filter(s => s.serviceName === service.serviceName)
          .map(s => s.environment),
        owner: decision.owner,
      };
      if (template.value) {
        navigate(adoptTemplatePath(target));
      } else if (target.owner) {
        openDialog({ ...target, owner: target.owner });
      } else {
        throw new Error(
          `its tags suggest no owner, and without the ${ADOPT_TEMPLATE} template there is no form to choose one`,
        );
      }
    } catch (error) {
      alertApi.post({
        message: `Cannot adopt ${service.serviceName}: ${
          (error as Error).message
        }`,
        severity: 'error',
      });
    }
  };
}

/**
 * `/ecs-deploy/unclaimed`: the ECS services that run in the configured environments but that no
 * catalog entity owns, with counts per environment and suggested team, filters, "suggested for
 * my team", Adopt per service and, for admins, a selection to adopt in bulk.
 */
export function UnclaimedServicesPage() {
  const [query, setQuery] = useUnclaimedQuery();
  const services = useUnclaimedServices(query);
  const info = useEcsDeployInfo();
  const adopter = useAdopter();
  const [adopting, setAdopting] = useState<AdoptionTarget>();
  const adopt = useAdopt(adopter.value, setAdopting);
  const [selected, setSelected] = useState(
    () => new Map<string, UnclaimedService>(),
  );
  const [bulkOpen, setBulkOpen] = useState(false);
  const title = (env: string) => environmentTitle(env, info.value);
  const filtered = Boolean(query.environment || query.owner || query.search);
  const error = services.error ?? adopter.error;

  const select = (rows: UnclaimedService[], on: boolean) =>
    setSelected(previous => {
      const next = new Map(previous);
      for (const row of rows) {
        if (on) next.set(unclaimedKey(row), row);
        else next.delete(unclaimedKey(row));
      }
      return next;
    });
  // The rows of this page an admin may adopt in bulk: those with a suggested owner.
  const selectable = (services.value?.items ?? []).filter(
    s =>
      s.suggestedOwner &&
      adopter.value &&
      adoptDecision(s, adopter.value).allowed,
  );

  let body;
  if (services.value && adopter.value) {
    body =
      services.value.items.length === 0 && !services.loading ? (
        <NoMatches
          filtered={filtered}
          noMatch="No unclaimed service matches these filters."
          empty="Every ECS service in the configured environments is owned."
          onClear={() =>
            setQuery({
              environment: undefined,
              owner: undefined,
              search: undefined,
            })
          }
        />
      ) : (
        <UnclaimedTable
          services={services.value}
          adopter={adopter.value}
          environmentTitle={title}
          query={query}
          onChange={setQuery}
          loading={services.loading}
          onAdopt={adopt}
          selected={new Set(selected.keys())}
          onSelect={(row, on) => select([row], on)}
        />
      );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    body = <Progress />;
  }
  const owners = Object.keys(services.value?.counts.owners ?? {}).filter(
    o => o !== 'none',
  );

  return (
    <Page themeId="tool">
      <Header
        title="Unclaimed services"
        subtitle="ECS services that run but that no catalog entity owns yet"
      />
      <Content>
        {services.value && (
          <UnclaimedCounts
            counts={services.value.counts}
            environmentTitle={title}
            environment={query.environment}
            owner={query.owner}
            onChange={setQuery}
          />
        )}
        <FilterBar>
          <SearchField
            id="unclaimed-search"
            label="Search services"
            value={query.search}
            onChange={search => setQuery({ search })}
          />
          <FilterSelect
            id="unclaimed-environment"
            label="Environment"
            value={query.environment}
            anyLabel="All environments"
            options={(info.value?.environments ?? []).map(e => [
              e.name,
              e.title,
            ])}
            onChange={environment => setQuery({ environment })}
          />
          <FilterSelect
            id="unclaimed-owner"
            label="Suggested owner"
            value={query.owner}
            anyLabel="Any team"
            options={[...new Set([...owners, ...(adopter.value?.groups ?? [])])]
              .sort()
              .map(o => [o, teamName(o)])}
            onChange={owner => setQuery({ owner })}
          />
          <MyTeamChips
            teams={adopter.value?.groups ?? []}
            selected={query.owner}
            label={team => `Suggested for my team: ${teamName(team)}`}
            onChange={owner => setQuery({ owner })}
          />
        </FilterBar>
        {services.value && <RefreshWarning error={services.error} />}
        {services.value && (
          <Box display="flex" alignItems="center" mb={1}>
            <Typography variant="body2" style={{ flexGrow: 1 }}>
              {services.value.total === 1
                ? `1 service${filtered ? ' matches' : ''}`
                : `${services.value.total} services${filtered ? ' match' : ''}`}
              {adopter.value?.admin &&
                `; ${selected.size} selected for a bulk adoption`}
            </Typography>
            {adopter.value?.admin && (
              <>
                <Button
                  disabled={selectable.length === 0}
                  onClick={() => select(selectable, true)}
                >
                  Select all on this page
                </Button>
                <Button
                  disabled={selected.size === 0}
                  onClick={() => setSelected(new Map())}
                >
                  Clear selection
                </Button>
                <Button
                  variant="contained"
                  color="primary"
                  disabled={selected.size === 0}
                  onClick={() => setBulkOpen(true)}
                >
                  Preview adoption
                </Button>
              </>
            )}
          </Box>
        )}
        <Paper>{body}</Paper>
        <AdoptDialog
          target={adopting}
          environmentTitle={title}
          onClose={adopted => {
            setAdopting(undefined);
            if (adopted) services.retry();
          }}
        />
        <BulkAdoptDialog
          open={bulkOpen}
          onClose={started => {
            setBulkOpen(false);
            if (started) {
              setSelected(new Map());
              services.retry();
            }
          }}
          selection={[...selected.values()]}
          environmentTitle={title}
        />
      </Content>
    </Page>
  );
}
