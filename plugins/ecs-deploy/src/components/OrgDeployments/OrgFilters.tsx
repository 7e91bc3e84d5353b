import { useEffect, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import useDebounce from 'react-use/esm/useDebounce';
import type {
  HealthState,
  LagState,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { HEALTH_LABELS } from '../HealthStatus';
import type { OrgQuery } from './orgQuery';

/** How long typing pauses before the search goes to the server. */
export const SEARCH_DEBOUNCE_MS = 300;

const LAG_LABELS: Record<LagState, string> = {
  behind: 'Behind (a promotion would change it)',
  level: 'Up to date',
  'not-deployed': 'Not deployed',
  unknown: 'Cannot compare',
};

const useStyles = makeStyles(theme => ({
  // On paper (white): the outlined fields' labels lack contrast on the page's grey.
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    padding: theme.spacing(2),
    background: theme.palette.background.paper,
    borderRadius: theme.shape.borderRadius,
  },
  field: { minWidth: 200 },
}));

/** A select of one filter: "Any" (no filter) or one of `options` ([value, label]). */
function FilterSelect(props: {
  id: string;
  label: string;
  value?: string;
  anyLabel?: string;
  options: Array<[string, string]>;
  onChange: (value: string | undefined) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
      className={classes.field}
      id={props.id}
      label={props.label}
      variant="outlined"
      size="small"
      value={props.value ?? ''}
      onChange={e => props.onChange(e.target.value || undefined)}
    >
      <MenuItem value="">{props.anyLabel ?? 'Any'}</MenuItem>
      {props.options.map(([value, label]) => (
        <MenuItem key={value} value={value}>
          {label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A group ref for people: `group:default/team-payments` → `team-payments`. */
export const teamName = (ref: string) =>
  humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' });

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
  const classes = useStyles();
  const [text, setText] = useState(query.q ?? '');
  // The URL changed elsewhere (a cleared filter, back): show its search.
  useEffect(() => setText(query.q ?? ''), [query.q]);
  useDebounce(
    () => {
      if (text.trim() !== (query.q ?? '')) onChange({ q: text.trim() });
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );
  const teams = [...new Set([...props.myTeams, ...props.teams])].sort();
  const of = props.target ? ` (${props.target})` : '';

  return (
    <div className={classes.filters}>
      <TextField
        className={classes.field}
        id="org-search"
        label="Search services"
        type="search"
        variant="outlined"
        size="small"
        value={text}
        onChange={e => setText(e.target.value)}
        inputProps={{ maxLength: 100 }}
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
      {props.myTeams.map(team => {
        const selected = query.team === team;
        return (
          <Chip
            key={team}
            label={`My team: ${teamName(team)}`}
            color={selected ? 'primary' : 'default'}
            variant={selected ? 'default' : 'outlined'}
            aria-pressed={selected}
            onClick={() => onChange({ team: selected ? undefined : team })}
          />
        );
      })}
    </div>
  );
}
