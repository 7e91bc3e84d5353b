/*
 * The filter bar of the paged views (organisation, unclaimed services): a bar on paper, selects
 * with an "Any" choice, a search field that asks the server once typing pauses, and the
 * signed-in user's teams as toggles.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useDebounce from 'react-use/esm/useDebounce';

/** How long typing pauses before the search goes to the server. */
export const SEARCH_DEBOUNCE_MS = 300;

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

/** The bar the filters sit in. */
export function FilterBar(props: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.filters}>{props.children}</div>;
}

/** A select of one filter: "Any" (no filter) or one of `options` ([value, label]). */
export function FilterSelect(props: {
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

/** A search field that reports its trimmed text once typing pauses; follows `value` (the URL). */
export function SearchField(props: {
  id: string;
  label: string;
  value?: string;
  onChange: (value: string) => void;
}) {
  const { value, onChange } = props;
  const classes = useStyles();
  const [text, setText] = useState(value ?? '');
  // The URL changed elsewhere (a cleared filter, back): show its search.
  useEffect(() => setText(value ?? ''), [value]);
  useDebounce(
    () => {
      if (text.trim() !== (value ?? '')) onChange(text.trim());
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );
  return (
    <TextField
      className={classes.field}
      id={props.id}
      label={props.label}
      type="search"
      variant="outlined"
      size="small"
      value={text}
      onChange={e => setText(e.target.value)}
      inputProps={{ maxLength: 100 }}
    />
  );
}

/** One toggle per team of the user (`label(team)`), pressed when it is the `selected` filter. */
export function MyTeamChips(props: {
  teams: string[];
  selected?: string;
  label: (team: string) => string;
  onChange: (team: string | undefined) => void;
}) {
  return (
    <>
      {props.teams.map(team => {
        const pressed = props.selected === team;
        return (
          <Chip
            key={team}
            label={props.label(team)}
            color={pressed ? 'primary' : 'default'}
            variant={pressed ? 'default' : 'outlined'}
            aria-pressed={pressed}
            onClick={() => props.onChange(pressed ? undefined : team)}
          />
        );
      })}
    </>
  );
}

/** An empty page of a filtered view: why it is empty, and a way back to no filter. */
export function NoMatches(props: {
  filtered: boolean;
  /** What the view says when nothing matches its filters. */
  noMatch: string;
  /** What it says when there is nothing at all. */
  empty: string;
  onClear: () => void;
}) {
  return (
    <Box p={3}>
      <Typography variant="body1" gutterBottom>
        {props.filtered ? props.noMatch : props.empty}
      </Typography>
      {props.filtered && (
        <Button variant="outlined" onClick={props.onClear}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
