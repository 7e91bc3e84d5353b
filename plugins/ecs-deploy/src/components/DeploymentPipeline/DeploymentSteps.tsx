import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { DeploymentProgress } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { usePolledRead } from '../../hooks/usePolledRead';
import {
  actorName,
  errorMessage,
  formatDuration,
  formatTime,
} from '../../lib/format';
import { RelativeTime } from '../RelativeTime';

type Action = 'hold' | 'continue' | 'abort' | 'skip-bake';

const STRATEGY: Record<DeploymentProgress['strategy'], string> = {
  ROLLING: 'Rolling',
  CANARY: 'Canary',
  LINEAR: 'Linear',
  BLUE_GREEN: 'Blue/green',
};

const bakeText = (minutes: number) =>
  minutes > 0 ? `, bake ${minutes} min` : '';

/**
 * A deployment in progress under the service's strategy: its traffic steps (done, current,
 * pending) with their bakes, the traffic share and the bake left, the hold; and, as the backend
 * allows the user, Hold, Continue and Abort (owners and admins) and Skip bake (admins, with a
 * reason). Every action is audited by the backend.
 */
export function DeploymentSteps(props: {
  entityRef: string;
  environment: string;
  title: string;
  progress: DeploymentProgress;
  onChanged?: () => void;
}) {
  const { entityRef, environment, title, progress } = props;
  const api = useApi(ecsDeployApiRef);
  const controls = usePolledRead(
    () => api.getDeploymentControls(entityRef, environment),
    [api, entityRef, environment, progress.serviceDeploymentArn],
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Action>();
  const [error, setError] = useState<string>();
  const current = progress.steps.findIndex(s => s.state === 'current');

  const act = async (action: Action) => {
    setBusy(action);
    setError(undefined);
    try {
      await api.controlDeployment(entityRef, action, {
        environment,
        expectedServiceDeployment: progress.serviceDeploymentArn,
        ...(reason.trim() && { reason: reason.trim() }),
      });
      setReason('');
      controls.retry();
      props.onChanged?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  const canHold = progress.controllable && controls.value?.canHold;
  const canSkip =
    progress.controllable && controls.value?.canSkipBake && progress.bake;
  const button = (action: Action, label: string, disabled = false) => (
    <Button
      size="small"
      variant="outlined"
      disabled={disabled || busy !== undefined}
      onClick={() => act(action)}
    >
      {label}
    </Button>
  );

  return (
    <Box mt={1} aria-label={`Deployment in progress in ${title}`} role="group">
      <Typography variant="body2">
        {STRATEGY[progress.strategy]} deployment: {progress.trafficPercent} % of
        the traffic on the new revision
      </Typography>
      {progress.steps.length > 0 && (
        <Stepper
          activeStep={current === -1 ? progress.steps.length : current}
          alternativeLabel
        >
          {progress.steps.map((step, i) => (
            <Step key={i} completed={step.state === 'done'}>
              <StepLabel>
                {step.percent} %{bakeText(step.bakeMinutes)}
              </StepLabel>
            </Step>
          ))}
        </Stepper>
      )}
      {progress.bake && (
        <Typography variant="body2">
          Baking ({progress.bake.kind === 'step' ? 'this step' : 'all traffic'}
          ):{' '}
          <time
            dateTime={progress.bake.endsAt}
            title={formatTime(progress.bake.endsAt)}
          >
            {formatDuration(Date.parse(progress.bake.endsAt) - Date.now())}
          </time>{' '}
          left
        </Typography>
      )}
      {progress.hold && (
        <Alert severity="warning">
          Held by {actorName(progress.hold.by)}
          {progress.hold.reason && `: ${progress.hold.reason}`}
          {progress.holdExpiresAt && (
            <>
              {' '}
              (ECS rolls it back <RelativeTime
                iso={progress.holdExpiresAt}
              />{' '}
              unless continued)
            </>
          )}
        </Alert>
      )}
      {progress.waitingFor === 'portal' && (
        <Typography variant="caption" color="textSecondary">
          The portal moves it to the next step within seconds.
        </Typography>
      )}
      {(canHold || canSkip) && (
        <Box display="flex" flexWrap="wrap" alignItems="center" mt={1}>
          <TextField
            id={`ecs-deployment-reason-${environment}`}
            size="small"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText={canSkip ? 'Required to skip the bake' : undefined}
          />
          <Box display="flex" ml={1} style={{ gap: 8 }}>
            {canHold &&
              !progress.hold &&
              button('hold', `Hold ${title} deployment`)}
            {canHold &&
              progress.hold &&
              button('continue', `Continue ${title} deployment`)}
            {canHold && button('abort', `Abort ${title} deployment`)}
            {canSkip && button('skip-bake', 'Skip bake', !reason.trim())}
          </Box>
        </Box>
      )}
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
    </Box>
  );
}
