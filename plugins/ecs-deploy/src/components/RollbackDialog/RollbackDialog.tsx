import { useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  ActionOutcome,
  RollbackPreview,
} from '@internal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { formatTaskDefinition } from '../../lib/format';
import { ActionError, RolloutProgress } from '../RolloutProgress';

/** Props of {@link RollbackDialog}. */
export interface RollbackDialogProps {
  open: boolean;
  onClose: () => void;
  entityRef: string;
  environment: string;
  environmentTitle?: string;
  onStarted?: (outcome: ActionOutcome) => void;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

const TITLE_ID = 'ecs-deploy-rollback-dialog-title';

function imageChanges(preview: RollbackPreview) {
  const current = preview.current?.images ?? [];
  const previous = preview.previous?.images ?? [];
  const containers = [
    ...new Set([...current, ...previous].map(i => i.container)),
  ];
  return containers.map(container => ({
    container,
    from: current.find(i => i.container === container)?.image,
    to: previous.find(i => i.container === container)?.image,
  }));
}

function RollbackDialogBody(props: RollbackDialogProps) {
  const { entityRef, environment, onClose } = props;
  const title = props.environmentTitle ?? environment;
  const api = useApi(ecsDeployApiRef);
  const [reason, setReason] = useState('');

  const preview = useAsync(
    () => api.getRollbackPreview(entityRef, environment),
    [api, entityRef, environment],
  );

  const [submit, confirm] = useAsyncFn(async () => {
    const outcome = await api.rollback(entityRef, {
      environment,
      // The revision the user saw running: refused (409) when it changed since.
      expectedTaskDefinition: preview.value?.current?.taskDefinition.arn,
      reason: reason.trim() || undefined,
    });
    props.onStarted?.(outcome);
    return outcome;
  }, [api, entityRef, environment, reason, preview.value]);

  const outcome = submit.value;
  const canConfirm = !!preview.value?.allowed && !submit.loading && !outcome;

  return (
    <>
      <DialogTitle id={TITLE_ID}>Roll back {title}</DialogTitle>
      <DialogContent>
        {preview.loading && <Progress />}
        {preview.error && (
          <Alert severity="error">
            <AlertTitle>Could not load what would change</AlertTitle>
            {preview.error.message}
          </Alert>
        )}
        {preview.value && !outcome && (
          <>
            <Typography variant="body2" gutterBottom>
              {title} runs{' '}
              <strong>
                {formatTaskDefinition(preview.value.current?.taskDefinition)}
              </strong>
              ; after the rollback it runs the previous revision{' '}
              <strong>
                {formatTaskDefinition(preview.value.previous?.taskDefinition)}
              </strong>
              .
            </Typography>
            {preview.value.previous && (
              <Table size="small" aria-label="Changes">
                <TableHead>
                  <TableRow>
                    <TableCell>Container</TableCell>
                    <TableCell>Now</TableCell>
                    <TableCell>After rollback</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {imageChanges(preview.value).map(change => (
                    <TableRow key={change.container}>
                      <TableCell>{change.container}</TableCell>
                      <TableCell>{change.from ?? '(none)'}</TableCell>
                      <TableCell>{change.to ?? '(none)'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {preview.value.blockers.map(blocker => (
              <Box mt={2} key={blocker.code}>
                <Alert severity="warning">
                  <AlertTitle>Cannot roll back now</AlertTitle>
                  {blocker.message}
                </Alert>
              </Box>
            ))}
            <Box mt={2}>
              <TextField
                id="ecs-deploy-reason"
                label="Reason (optional)"
                value={reason}
                onChange={e => setReason(e.target.value)}
                fullWidth
                multiline
                variant="outlined"
                disabled={submit.loading}
              />
            </Box>
          </>
        )}
        {submit.error && (
          <Box mt={2}>
            <ActionError error={submit.error} action="roll back" />
          </Box>
        )}
        {outcome && (
          <RolloutProgress
            entityRef={entityRef}
            environment={environment}
            environmentTitle={title}
            outcome={outcome}
            pollIntervalMs={props.pollIntervalMs}
            timeoutMs={props.timeoutMs}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{outcome ? 'Close' : 'Cancel'}</Button>
        {!outcome && (
          <Button
            color="secondary"
            variant="contained"
            disabled={!canConfirm}
            onClick={() => confirm()}
          >
            {submit.loading ? 'Rolling back…' : `Roll back ${title}`}
          </Button>
        )}
      </DialogActions>
    </>
  );
}

/** Confirms a rollback to the previous revision, then follows the rollout. */
export function RollbackDialog(props: RollbackDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby={TITLE_ID}
      fullWidth
      maxWidth="md"
    >
      {props.open && <RollbackDialogBody {...props} />}
    </Dialog>
  );
}
