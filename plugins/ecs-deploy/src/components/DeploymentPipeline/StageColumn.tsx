import { Fragment, type ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  imageVersion,
  type EnvironmentStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { actorName, formatTaskDefinition, formatTime } from '../../lib/format';
import type { ImageDifference, StageChange } from '../../lib/pipeline';
import { describeRollout } from '../../lib/rollout';
import { HealthStatus } from '../HealthStatus';
import { OpenLogsLink } from '../LogsView';
import { RelativeTime } from '../RelativeTime';
import { TaskBar } from './TaskBar';

const useStyles = makeStyles(theme => ({
  stage: {
    minWidth: 0,
    padding: theme.spacing(2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.background.paper,
    containerType: 'inline-size',
  },
  compact: { padding: theme.spacing(1.5) },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    columnGap: theme.spacing(1),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.75),
    margin: theme.spacing(1.5, 0),
    '& dt': {
      fontWeight: theme.typography.fontWeightMedium,
      whiteSpace: 'nowrap',
    },
    // Long values (digests, ARNs) break only where a word does not fit the column at all.
    '& dd': { margin: 0, minWidth: 0, overflowWrap: 'break-word' },
    // A note on a value (a second definition of the same term) sits under the value.
    '& dd + dd': { gridColumn: 2, marginTop: theme.spacing(-0.5) },
  },
  // A narrow stage (the overview card, a small window) puts each label above its value.
  '@container (max-width: 22rem)': {
    facts: {
      gridTemplateColumns: 'minmax(0, 1fr)',
      rowGap: 0,
      '& dt': {
        marginTop: theme.spacing(1),
        color: theme.palette.text.secondary,
        fontSize: theme.typography.caption.fontSize,
      },
      '& dd + dd': { gridColumn: 1, marginTop: 0 },
    },
  },
  differs: {
    background: theme.palette.type === 'dark' ? '#5c4a00' : '#fff4ce',
    borderRadius: 2,
    padding: theme.spacing(0, 0.5),
    marginLeft: theme.spacing(-0.5),
  },
  differsNote: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
  },
}));

/** "4 minutes ago by alice (promotion from staging)". */
function Deployed(props: { change: StageChange }) {
  const { at, actor, action, from } = props.change;
  let how = '';
  if (action === 'promote') {
    how = from ? ` (promotion from ${from})` : ' (promotion)';
  } else if (action === 'rollback') {
    how = ' (rollback)';
  } else if (action === 'automatic-rollback') {
    how = ' (automatic rollback after a failed rollout)';
  }
  return (
    <>
      <RelativeTime iso={at} />
      {actor && ` by ${actorName(actor)}`}
      {how}
    </>
  );
}

/** One environment of the pipeline: health, what runs, the rollout, problems and links. */
export function StageColumn(props: {
  status: EnvironmentStatus;
  title: string;
  titles: (environment: string) => string;
  change?: StageChange;
  differences: Map<string, ImageDifference[]>;
  /** The other side's revision differs (same task definition family). */
  revisionDiffers?: boolean;
  compact?: boolean;
  /** Actions under the column (e.g. Roll back). */
  actions?: ReactNode;
  /** The deployment in progress under the service's strategy, under the rollout. */
  deployment?: ReactNode;
}) {
  const { status, title, compact, change, differences } = props;
  const classes = useStyles();
  const service = status.service;
  const headingId = `ecs-stage-${status.environment}`;
  const rollout = service && describeRollout(service);

  return (
    <section
      aria-labelledby={headingId}
      className={`${classes.stage} ${compact ? classes.compact : ''}`}
    >
      <div className={classes.header}>
        <Typography variant="h6" component="h3" id={headingId}>
          {title}
        </Typography>
        <HealthStatus health={status.health} />
      </div>
      {!compact && (
        <Typography variant="caption" color="textSecondary">
          {status.serviceName} in {status.cluster} ({status.region})
        </Typography>
      )}
      {status.stale && (
        <Typography variant="body2" color="textSecondary">
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
        <Box mt={1}>
          <Typography variant="body2">
            Not deployed: no service {status.serviceName} in cluster{' '}
            {status.cluster}.
          </Typography>
        </Box>
      )}
      {service && rollout && (
        <dl className={classes.facts}>
          {service.images.map(image => {
            const differing = differences.get(image.container) ?? [];
            return (
              <Fragment key={image.container}>
                <dt>Image ({image.container})</dt>
                <dd>
                  <Tooltip
                    title={`${image.image}${
                      image.digest && !image.image.includes('@')
                        ? ` (${image.digest})`
                        : ''
                    }`}
                  >
                    <span
                      className={differing.length ? classes.differs : undefined}
                    >
                      {imageVersion(image)}
                    </span>
                  </Tooltip>
                </dd>
                {/* A note of its own after the value (a term may have several definitions). */}
                {differing.map(d => (
                  <dd className={classes.differsNote} key={d.environment}>
                    differs from {props.titles(d.environment)} (
                    {imageVersion(d.image)})
                  </dd>
                ))}
              </Fragment>
            );
          })}
          <dt>Task definition</dt>
          <dd>
            <span
              className={props.revisionDiffers ? classes.differs : undefined}
            >
              {formatTaskDefinition(service.taskDefinition)}
            </span>
          </dd>
          <dt>Tasks</dt>
          <dd>
            <TaskBar
              running={service.runningCount}
              desired={service.desiredCount}
              pending={service.pendingCount}
            />
          </dd>
          {service.autoscaling && (
            <>
              <dt>Autoscaling</dt>
              <dd>
                {service.autoscaling.minCapacity}–
                {service.autoscaling.maxCapacity} tasks
                {service.autoscaling.suspended && ' (suspended)'}
              </dd>
            </>
          )}
          <dt>Rollout</dt>
          <dd>
            <Typography variant="body2" component="span">
              {rollout.phrase}
            </Typography>
            {rollout.kind === 'rolling' && (
              <LinearProgress
                variant="determinate"
                value={rollout.progress ?? 0}
                aria-label={`Rollout progress in ${title}`}
              />
            )}
            {props.deployment}
          </dd>
          {change && (
            <>
              <dt>Deployed</dt>
              <dd>
                <Deployed change={change} />
              </dd>
            </>
          )}
        </dl>
      )}
      {status.problems.map(problem => (
        <Box mb={1} key={`${problem.code}:${problem.message}`}>
          <Alert severity={problem.severity}>
            <AlertTitle>{problem.message}</AlertTitle>
            Proposed fix: {problem.fix}
            {!compact && problem.taskIds?.length ? (
              <Box mt={0.5}>
                <OpenLogsLink
                  environment={status.environment}
                  problem={problem}
                />
              </Box>
            ) : null}
          </Alert>
        </Box>
      ))}
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
      {props.actions && <Box mt={2}>{props.actions}</Box>}
    </section>
  );
}
