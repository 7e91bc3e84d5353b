import { useEffect } from 'react';
import {
  Link,
  Progress,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import type { TaskInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import { useEnvironmentTasks } from '../../hooks/useEcsDeployData';
import { formatTaskDefinition, formatTime } from '../../lib/format';
import { useFocusedTask } from '../LogsView';

const taskAnchor = (environment: string, taskId: string) =>
  `ecs-task-${environment}-${taskId}`;

/** The columns; the task a log line linked to is marked. */
const columnsFor = (
  environment: string,
  focused?: string,
): TableColumn<TaskInfo>[] => [
  {
    title: 'Task',
    render: t => (
      <span id={taskAnchor(environment, t.taskId)}>
        {t.taskId === focused ? <strong>{t.taskId} (linked)</strong> : t.taskId}
      </span>
    ),
  },
  {
    title: 'Status',
    render: t =>
      `${t.lastStatus}${t.desiredStatus ? ` → ${t.desiredStatus}` : ''}${
        t.healthStatus ? ` (${t.healthStatus})` : ''
      }`,
  },
  { title: 'Revision', render: t => formatTaskDefinition(t.taskDefinition) },
  { title: 'Started', render: t => formatTime(t.startedAt) },
  { title: 'Stopped', render: t => formatTime(t.stoppedAt) },
  {
    title: 'Stopped reason',
    render: t =>
      t.stoppedReason
        ? `${t.stoppedReason}${t.stopCode ? ` (${t.stopCode})` : ''}`
        : '—',
  },
  {
    title: 'Containers',
    render: t => (
      <>
        {t.containers.map(c => (
          <div key={c.name}>
            {c.name}: {c.lastStatus ?? '—'}
            {c.exitCode !== undefined ? `, exit code ${c.exitCode}` : ''}
            {c.reason ? `, ${c.reason}` : ''}
            {c.logLink && (
              <>
                {' '}
                <Link to={c.logLink.url}>Logs ({c.name})</Link>
              </>
            )}
          </div>
        ))}
      </>
    ),
  },
];

/** Running and recently stopped tasks, loaded when asked for. */
export function TasksPanel(props: {
  entityRef: string;
  environment: string;
  environmentTitle: string;
}) {
  const tasks = useEnvironmentTasks(props.entityRef, props.environment);
  const loaded = tasks.value !== undefined;
  // A log line's task link names a task of this environment: load the list and show it.
  const focused = useFocusedTask(props.environment);
  const load = tasks.load;
  useEffect(() => {
    if (focused) load();
  }, [focused, load]);
  useEffect(() => {
    if (focused && tasks.value) {
      document
        .getElementById(taskAnchor(props.environment, focused))
        ?.scrollIntoView?.({ block: 'center' });
    }
  }, [focused, tasks.value, props.environment]);
  return (
    <Box>
      <Button
        variant="outlined"
        onClick={() => tasks.load()}
        disabled={tasks.loading}
      >
        {loaded
          ? `Reload tasks (${props.environmentTitle})`
          : `Load tasks (${props.environmentTitle})`}
      </Button>
      {tasks.loading && <Progress />}
      {tasks.error && (
        <Box mt={1}>
          <Alert severity="error">
            Could not load the tasks: {tasks.error.message}
          </Alert>
        </Box>
      )}
      {tasks.value?.error && (
        <Box mt={1}>
          <Alert severity="error">
            Could not load the tasks: {tasks.value.error.message}
          </Alert>
        </Box>
      )}
      {tasks.value && !tasks.loading && (
        <Box mt={1}>
          <Table<TaskInfo>
            title={`Tasks in ${props.environmentTitle}`}
            columns={columnsFor(props.environment, focused)}
            data={tasks.value.tasks}
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              // Sortable, draggable headers nest focusable elements in buttons (axe: nested-interactive).
              sorting: false,
              draggable: false,
            }}
            emptyContent={
              <Box p={2}>No running or recently stopped tasks.</Box>
            }
          />
        </Box>
      )}
    </Box>
  );
}
