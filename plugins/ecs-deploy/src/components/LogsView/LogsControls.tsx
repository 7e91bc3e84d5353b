import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import type { TaskInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import type { LogsSelection } from '../../hooks/useLogs';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  select: { minWidth: 160 },
  filter: { flex: '1 1 280px' },
}));

const ALL = '';
/** Selects show "All …" (the empty value) instead of an empty field. */
const showAll = {
  SelectProps: { displayEmpty: true },
  InputLabelProps: { shrink: true },
};

/** What a task is called in the picker: short id, status and revision. */
function taskLabel(task: TaskInfo) {
  return `${task.taskId.slice(0, 8)} · ${task.lastStatus.toLowerCase()} · rev ${
    task.taskDefinition.revision
  }`;
}

/**
 * Environment, task or revision, filter pattern and follow: the selection of the logs view.
 * The filter applies on submit (Enter or Apply), the rest at once.
 */
export function LogsControls(props: {
  /** Prefix of the fields' ids (unique on the page). */
  id: string;
  environments: Array<{ name: string; title: string }>;
  selection: LogsSelection;
  onChange: (selection: LogsSelection) => void;
  tasks: TaskInfo[];
  follow: boolean;
  onFollow: (follow: boolean) => void;
}) {
  const classes = useStyles();
  const { selection, onChange, tasks } = props;
  const [filter, setFilter] = useState(selection.filter ?? '');
  useEffect(() => setFilter(selection.filter ?? ''), [selection.filter]);

  const revisions = [
    ...new Set(tasks.map(t => t.taskDefinition.revision)),
  ].sort((a, b) => b - a);
  const ids = selection.taskIds ?? [];
  const taskValue = ids.length > 1 ? 'several' : ids[0] ?? ALL;
  const known = new Set(tasks.map(t => t.taskId));

  return (
    <form
      className={classes.row}
      onSubmit={e => {
        e.preventDefault();
        onChange({ ...selection, filter: filter.trim() || undefined });
      }}
    >
      {props.environments.length > 1 && (
        <TextField
          select
          className={classes.select}
          id={`${props.id}-environment`}
          label="Environment"
          value={selection.environment}
          onChange={e =>
            onChange({ ...selection, environment: e.target.value as string })
          }
        >
          {props.environments.map(env => (
            <MenuItem key={env.name} value={env.name}>
              {env.title}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        select
        className={classes.select}
        id={`${props.id}-task`}
        label="Task"
        {...showAll}
        value={taskValue}
        onChange={e => {
          const value = e.target.value as string;
          onChange({
            ...selection,
            revision: undefined,
            taskIds: value === ALL ? undefined : [value],
          });
        }}
      >
        <MenuItem value={ALL}>All tasks</MenuItem>
        {ids.length > 1 && (
          <MenuItem value="several">{ids.length} selected tasks</MenuItem>
        )}
        {ids.length === 1 && !known.has(ids[0]) && (
          <MenuItem value={ids[0]}>{ids[0].slice(0, 8)}</MenuItem>
        )}
        {tasks.map(task => (
          <MenuItem key={task.taskId} value={task.taskId}>
            {taskLabel(task)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        className={classes.select}
        id={`${props.id}-revision`}
        label="Revision"
        {...showAll}
        value={selection.revision ?? ALL}
        onChange={e => {
          const value = e.target.value as string | number;
          onChange({
            ...selection,
            taskIds: undefined,
            revision: value === ALL ? undefined : Number(value),
          });
        }}
      >
        <MenuItem value={ALL}>All revisions</MenuItem>
        {selection.revision && !revisions.includes(selection.revision) && (
          <MenuItem value={selection.revision}>{selection.revision}</MenuItem>
        )}
        {revisions.map(revision => (
          <MenuItem key={revision} value={revision}>
            {revision}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        className={classes.filter}
        id={`${props.id}-filter`}
        label="Filter pattern"
        value={filter}
        onChange={e => setFilter(e.target.value)}
        helperText={
          <>
            CloudWatch Logs filter pattern, e.g. <code>ERROR</code>,{' '}
            <code>"health check"</code> or <code>?ERROR ?WARN</code>
          </>
        }
        inputProps={{ maxLength: 1024 }}
      />
      <Button type="submit" variant="outlined">
        Apply
      </Button>
      <FormControlLabel
        control={
          <Switch
            checked={props.follow}
            onChange={e => props.onFollow(e.target.checked)}
          />
        }
        label="Follow"
      />
    </form>
  );
}
