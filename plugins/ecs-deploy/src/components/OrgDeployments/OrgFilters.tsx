import { useEffect, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import useDebounce from 'react-use/esm/useDebounce';
import type { HealthState, LagState } from '@internal/plugin-ecs-deploy-common';
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
      <TextField
        select
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        className={classes.field}
        id="org-team"
        label="Team"
        variant="outlined"
        size="small"
        value={query.team ?? ''}
        onChange={e => onChange({ team: e.target.value || undefined })}
      >
        <MenuItem value="">All teams</MenuItem>
        {teams.map(team => (
          <MenuItem key={team} value={team}>
            {teamName(team)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        className={classes.field}
        id="org-lag"
        label={`Promotion${of}`}
        variant="outlined"
        size="small"
        value={query.lag ?? ''}
        onChange={e =>
          onChange({ lag: (e.target.value || undefined) as LagState })
        }
      >
        <MenuItem value="">Any</MenuItem>
        {Object.entries(LAG_LABELS).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        className={classes.field}
        id="org-health"
        label={`Health${of}`}
        variant="outlined"
        size="small"
        value={query.health ?? ''}
        onChange={e =>
          onChange({ health: (e.target.value || undefined) as HealthState })
        }
      >
        <MenuItem value="">Any</MenuItem>
        {Object.entries(HEALTH_LABELS).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
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
