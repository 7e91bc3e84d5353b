import type {
  HealthState,
  LagState,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  FilterBar,
  FilterSelect,
  MyTeamChips,
  SearchField,
  teamName,
} from '../Filters';
import { HEALTH_LABELS } from '../HealthStatus';
import type { OrgQuery } from './orgQuery';

const LAG_LABELS: Record<LagState, string> = {
  behind: 'Behind (a promotion would change it)',
  level: 'Up to date',
  'not-deployed': 'Not deployed',
  unknown: 'Cannot compare',
};

/** Search (debounced), team, lag and health filters, and a shortcut per team of the user. */
export function OrgFilters(props: {
  query: OrgQuery;
  onChange: (change: Partial<OrgQuery>) => void;
  teams: string[];
  myTeams: string[];
  /** The environment lag and health refer to (the first promotion path's target). */
  target?: string;
}) {
  const { query, onChange } = props;
  const teams = [...new Set([...props.myTeams, ...props.teams])].sort();
  const of = props.target ? ` (${props.target})` : '';

  return (
    <FilterBar>
      <SearchField
        id="org-search"
        label="Search services"
        value={query.q}
        onChange={q => onChange({ q })}
      />
      <FilterSelect
        id="org-team"
        label="Team"
        value={query.team}
        anyLabel="All teams"
        options={teams.map(team => [team, teamName(team)])}
        onChange={team => onChange({ team })}
      />
      <FilterSelect
        id="org-lag"
        label={`Promotion${of}`}
        value={query.lag}
        options={Object.entries(LAG_LABELS)}
        onChange={lag => onChange({ lag: lag as LagState | undefined })}
      />
      <FilterSelect
        id="org-health"
        label={`Health${of}`}
        value={query.health}
        options={Object.entries(HEALTH_LABELS)}
        onChange={health =>
          onChange({ health: health as HealthState | undefined })
        }
      />
      <MyTeamChips
        teams={props.myTeams}
        selected={query.team}
        label={team => `My team: ${teamName(team)}`}
        onChange={team => onChange({ team })}
      />
    </FilterBar>
  );
}
