import { useEffect, useRef, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ecsDeployLogsReadPermission } from '@deployment-portal/plugin-ecs-deploy-common';
import { useEnvironmentTasks } from '../../hooks/useEcsDeployData';
import { useLogs, type LogsSelection } from '../../hooks/useLogs';
import { errorMessage, errorStatus } from '../../lib/format';
import { LogLinesTable } from './LogLinesTable';
import { LogsControls } from './LogsControls';
import { useRequestedLogs } from './logsLocation';

/** Options of {@link LogsView}. */
export interface LogsViewProps {
  entityRef: string;
  /** The environments to pick from, in display order (one: no picker). */
  environments: Array<{ name: string; title: string }>;
  /** How often following reads new lines (default 5 s). */
  followIntervalMs?: number;
}

function Lines(props: {
  entityRef: string;
  selection: LogsSelection;
  title: string;
  follow: boolean;
  followIntervalMs?: number;
}) {
  const { selection, title } = props;
  const logs = useLogs(props.entityRef, selection, {
    follow: props.follow,
    followIntervalMs: props.followIntervalMs,
  });
  if (logs.loading) return <Progress />;
  if (logs.error) {
    const denied = errorStatus(logs.error) === 403;
    return (
      <Alert severity={denied ? 'info' : 'error'}>
        <AlertTitle>
          {denied
            ? `You may not read the logs of ${title}`
            : `Could not read the logs of ${title}`}
        </AlertTitle>
        {errorMessage(logs.error)}
      </Alert>
    );
  }
  const olderButton = logs.hasOlder && (
    <Button
      size="small"
      variant="outlined"
      onClick={logs.loadOlder}
      disabled={logs.loadingOlder}
    >
      {logs.loadingOlder ? 'Loading older lines…' : 'Load older'}
    </Button>
  );
  return (
    <>
      {logs.environmentError && (
        <Box mb={1}>
          <Alert severity="warning">
            <AlertTitle>No logs from {title}</AlertTitle>
            {logs.environmentError.message}
          </Alert>
        </Box>
      )}
      {logs.skipped && (
        <Box mb={1}>
          <Alert severity="info">
            More new lines arrived than one read returns, so some were skipped
            while following. Turn off Follow, or narrow the filter, to read them
            all.
          </Alert>
        </Box>
      )}
      <Box mb={1} display="flex" alignItems="center" style={{ gap: 16 }}>
        {olderButton}
        {logs.logGroup && (
          <Typography variant="body2" color="textSecondary">
            {logs.lines.length} line{logs.lines.length === 1 ? '' : 's'} from{' '}
            {logs.logGroup}
          </Typography>
        )}
      </Box>
      {logs.lines.length > 0 ? (
        <LogLinesTable
          environment={selection.environment}
          lines={logs.lines}
          label={`Logs of ${title}`}
        />
      ) : (
        !logs.environmentError && (
          <Typography variant="body2">
            No log lines{selection.filter ? ` match ${selection.filter}` : ''}{' '}
            {logs.hasOlder
              ? 'in the time searched; load older lines to search further back.'
              : 'yet.'}
          </Typography>
        )
      )}
    </>
  );
}

/**
 * The logs of an entity's tasks in one environment: the newest lines (newest last), older ones
 * on demand, a task or revision, a CloudWatch filter pattern, and follow. Opens on the
 * environment and tasks the page URL names (a problem's "logs" link).
 */
export function LogsView(props: LogsViewProps) {
  const { entityRef, environments } = props;
  const names = environments.map(e => e.name);
  const requested = useRequestedLogs(names);
  const [selection, setSelection] = useState<LogsSelection>({
    environment: requested?.environment ?? names[0],
    taskIds: requested?.taskIds,
  });
  const [follow, setFollow] = useState(false);
  const section = useRef<HTMLElement>(null);
  const permission = usePermission({
    permission: ecsDeployLogsReadPermission,
    resourceRef: entityRef,
  });
  const tasks = useEnvironmentTasks(entityRef, selection.environment);
  const loadTasks = tasks.load;

  // A link that names these logs (a problem's, a shared one): show them and scroll to them.
  const requestedKey = requested && JSON.stringify(requested);
  useEffect(() => {
    if (!requestedKey) return;
    setSelection(JSON.parse(requestedKey));
    section.current?.scrollIntoView?.({ block: 'start' });
  }, [requestedKey]);

  useEffect(() => {
    if (permission.allowed) loadTasks();
  }, [permission.allowed, loadTasks]);

  const title =
    environments.find(e => e.name === selection.environment)?.title ??
    selection.environment;
  const headingId = `ecs-logs-${names.join('-')}`;

  return (
    <section aria-labelledby={headingId} ref={section}>
      <Typography variant="h6" component="h3" id={headingId} gutterBottom>
        Logs{environments.length === 1 ? ` (${title})` : ''}
      </Typography>
      {permission.loading && <Progress />}
      {!permission.loading && !permission.allowed && (
        <Alert severity="info">
          <AlertTitle>You may not read the logs of {title}</AlertTitle>
          Logs can hold secrets: only the owners of this entity and the admin
          groups may read them.
        </Alert>
      )}
      {permission.allowed && (
        <>
          <LogsControls
            id={headingId}
            environments={environments}
            selection={selection}
            onChange={setSelection}
            tasks={tasks.value?.tasks ?? []}
            follow={follow}
            onFollow={setFollow}
          />
          <Lines
            entityRef={entityRef}
            selection={selection}
            title={title}
            follow={follow}
            followIntervalMs={props.followIntervalMs}
          />
        </>
      )}
    </section>
  );
}
