import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { ActionOutcome } from '@deployment-portal/plugin-ecs-deploy-common';
import { useRolloutProgress } from '../../hooks/useRolloutProgress';
import { formatTaskDefinition } from '../../lib/format';
import { StatusLine } from '../HealthStatus';

/** Props of {@link RolloutProgress}. */
export interface RolloutProgressProps {
  entityRef: string;
  environment: string;
  environmentTitle: string;
  outcome: ActionOutcome;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

/** Follows the rollout started by a promotion or rollback, then shows the outcome. */
export function RolloutProgress(props: RolloutProgressProps) {
  const { outcome, environmentTitle } = props;
  const { phase, status, reason, error } = useRolloutProgress({
    entityRef: props.entityRef,
    environment: props.environment,
    taskDefinitionArn: outcome.taskDefinition.arn,
    pollIntervalMs: props.pollIntervalMs,
    timeoutMs: props.timeoutMs,
  });
  const revision = formatTaskDefinition(outcome.taskDefinition);
  const service = status?.service;

  return (
    <Box role="status" aria-live="polite">
      {phase === 'waiting' && (
        <>
          <StatusLine status="pending">
            Rolling out {revision} to {environmentTitle}
          </StatusLine>
          <Box my={1}>
            <LinearProgress aria-label="Rollout progress" />
          </Box>
          {service && (
            <Typography variant="body2">
              {service.runningCount} of {service.desiredCount} tasks running
              {service.pendingCount ? `, ${service.pendingCount} pending` : ''}
            </Typography>
          )}
          {error && (
            <Typography variant="body2" color="textSecondary">
              Could not read the status ({error.message}); retrying.
            </Typography>
          )}
        </>
      )}
      {phase === 'completed' && (
        <StatusLine status="ok">
          Rollout of {revision} to {environmentTitle} completed
        </StatusLine>
      )}
      {phase === 'failed' && (
        <StatusLine status="error">
          Rollout of {revision} to {environmentTitle} failed
          {reason ? `: ${reason}` : ''}
        </StatusLine>
      )}
      {phase === 'timeout' && (
        <StatusLine status="warning">
          Rollout of {revision} to {environmentTitle} has not finished yet;
          check the service in ECS
        </StatusLine>
      )}
      {status && (
        <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 16 }}>
          {status.links.logs.map(log => (
            <Link key={log.url} to={log.url}>
              {log.title}
            </Link>
          ))}
          {status.links.console && (
            <Link to={status.links.console}>
              AWS console ({environmentTitle})
            </Link>
          )}
        </Box>
      )}
    </Box>
  );
}
