import { Fragment } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import HistoryIcon from '@material-ui/icons/History';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { EnvironmentStatus } from '@internal/plugin-ecs-deploy-common';
import { HealthStatus } from '../HealthStatus';
import {
  formatImageVersion,
  formatTaskDefinition,
  formatTime,
} from '../../lib/format';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
    '& dt': { fontWeight: theme.typography.fontWeightMedium },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
  stale: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
}));

/** Everything the overview card says about one environment. */
export function EnvironmentSummary(props: {
  status: EnvironmentStatus;
  title: string;
}) {
  const { status, title } = props;
  const classes = useStyles();
  const service = status.service;
  const headingId = `ecs-env-${status.environment}`;

  return (
    <section aria-labelledby={headingId}>
      <Typography variant="h6" component="h3" id={headingId}>
        {title}
      </Typography>
      <HealthStatus health={status.health} />
      {status.stale && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.stale}
        >
          <HistoryIcon fontSize="small" aria-hidden />
          Stale: last known state from {formatTime(status.fetchedAt)}
        </Typography>
      )}
      {status.error && (
        <Box mt={1}>
          <Alert severity="error">
            <AlertTitle>Could not read {title}</AlertTitle>
            {status.error.message}
          </Alert>
        </Box>
      )}
      {status.health === 'not-deployed' && !status.error && (
        <Typography variant="body2">
          Not deployed: no service {status.serviceName} in cluster{' '}
          {status.cluster}.
        </Typography>
      )}
      {status.problems.map(problem => (
        <Box mt={1} key={`${problem.code}:${problem.message}`}>
          <Alert severity={problem.severity}>
            <AlertTitle>{problem.message}</AlertTitle>
            Proposed fix: {problem.fix}
          </Alert>
        </Box>
      ))}
      {service && (
        <dl className={classes.list}>
          {service.images.map(image => (
            <Fragment key={image.container}>
              <dt>Image ({image.container})</dt>
              <dd>
                {formatImageVersion(image)}
                {image.digest && image.tag ? ` (${image.digest})` : ''}
              </dd>
            </Fragment>
          ))}
          <dt>Task definition</dt>
          <dd>{formatTaskDefinition(service.taskDefinition)}</dd>
          <dt>Tasks</dt>
          <dd>
            {service.runningCount} running / {service.desiredCount} desired
            {service.pendingCount ? ` / ${service.pendingCount} pending` : ''}
          </dd>
          <dt>Rollout</dt>
          <dd>
            {service.rolloutState ?? '—'}
            {service.rolloutStateReason
              ? ` (${service.rolloutStateReason})`
              : ''}
          </dd>
          <dt>Last deployment</dt>
          <dd>{formatTime(service.lastDeploymentAt)}</dd>
        </dl>
      )}
      {(status.links.logs.length > 0 || status.links.console) && (
        <div className={classes.links}>
          {status.links.logs.map(log => (
            <Link key={log.url} to={log.url}>
              {log.title}
            </Link>
          ))}
          {status.links.console && (
            <Link to={status.links.console}>AWS console ({title})</Link>
          )}
        </div>
      )}
    </section>
  );
}
