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
import type { ActionOutcome } from '@internal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { formatTaskDefinition } from '../../lib/format';
import { ActionError } from '../RolloutProgress/ActionError';
import { RolloutProgress } from '../RolloutProgress';

/** Props of {@link PromoteDialog}. */
export interface PromoteDialogProps {
  open: boolean;
  onClose: () => void;
  entityRef: string;
  from: string;
  to: string;
  fromTitle?: string;
  toTitle?: string;
  /** Called once the backend accepted the promotion. */
  onStarted?: (outcome: ActionOutcome) => void;
  /** How often the rollout is checked after confirming (default 5 s). */
  pollIntervalMs?: number;
  /** When to stop following the rollout (default 15 min). */
  timeoutMs?: number;
}

const TITLE_ID = 'ecs-deploy-promote-dialog-title';

function PromoteDialogBody(props: PromoteDialogProps) {
  const { entityRef, from, to, onClose } = props;
  const fromTitle = props.fromTitle ?? from;
  const toTitle = props.toTitle ?? to;
  const api = useApi(ecsDeployApiRef);
  const [reason, setReason] = useState('');

  const preview = useAsync(
    () => api.getPromotionPreview(entityRef, { from, to }),
    [api, entityRef, from, to],
  );

  const [submit, confirm] = useAsyncFn(async () => {
    const outcome = await api.promote(entityRef, {
      from,
      to,
      // The revision the user saw: the backend refuses (409) when the target changed since.
      expectedTargetTaskDefinition: preview.value?.target?.taskDefinition.arn,
      reason: reason.trim() || undefined,
    });
    props.onStarted?.(outcome);
    return outcome;
  }, [api, entityRef, from, to, reason, preview.value]);

  const outcome = submit.value;
  const canConfirm = !!preview.value?.allowed && !submit.loading && !outcome;

  return (
    <>
      <DialogTitle id={TITLE_ID}>
        Promote {fromTitle} to {toTitle}
      </DialogTitle>
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
              {toTitle} runs{' '}
              <strong>
                {formatTaskDefinition(preview.value.target?.taskDefinition)}
              </strong>
              ; after the promotion it runs the images of {fromTitle} (
              <strong>
                {formatTaskDefinition(preview.value.source?.taskDefinition)}
              </strong>
              ).
            </Typography>
            {preview.value.changes.length === 0 ? (
              <Typography variant="body2">No image changes.</Typography>
            ) : (
              <Table size="small" aria-label="Changes">
                <TableHead>
                  <TableRow>
                    <TableCell>Container</TableCell>
                    <TableCell>Now in {toTitle}</TableCell>
                    <TableCell>After promotion</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {preview.value.changes.map(change => (
                    <TableRow key={change.container}>
                      <TableCell>{change.container}</TableCell>
                      <TableCell>{change.from ?? '(none)'}</TableCell>
                      <TableCell>{change.to}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {preview.value.blockers.map(blocker => (
              <Box mt={2} key={blocker.code}>
                <Alert severity="warning">
                  <AlertTitle>Cannot promote now</AlertTitle>
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
            <ActionError error={submit.error} action="promote" />
          </Box>
        )}
        {outcome && (
          <RolloutProgress
            entityRef={entityRef}
            environment={to}
            environmentTitle={toTitle}
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
            color="primary"
            variant="contained"
            disabled={!canConfirm}
            onClick={() => confirm()}
          >
            {submit.loading ? 'Promoting…' : `Promote to ${toTitle}`}
          </Button>
        )}
      </DialogActions>
    </>
  );
}

/**
 * Confirms a promotion: shows what will change and what blocks it, then follows the rollout.
 */
export function PromoteDialog(props: PromoteDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby={TITLE_ID}
      fullWidth
      maxWidth="md"
    >
      {props.open && <PromoteDialogBody {...props} />}
    </Dialog>
  );
}
