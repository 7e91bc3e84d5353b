import { useState, type ReactNode } from 'react';
import { Progress } from '@backstage/core-components';
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
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  ActionOutcome,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { errorStatus } from '../../lib/format';
import { ActionError, RolloutProgress } from '../RolloutProgress';

/** The dialog of an action: labelled by its title, its body mounted only while open. */
export function ActionDialog(props: {
  open: boolean;
  onClose: () => void;
  /** The id of the body's title (see {@link ActionDialogBody}). */
  titleId: string;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby={props.titleId}
      fullWidth
      maxWidth="md"
    >
      {props.open && props.children}
    </Dialog>
  );
}

// The theme's subtle header colour lacks contrast on the dialog's header row (axe: color-contrast).
const useChangesStyles = makeStyles(theme => ({
  head: { '& th': { color: theme.palette.text.primary } },
}));

/** Container images now and after the action. */
export function ImageChangesTable(props: {
  nowLabel: string;
  afterLabel: string;
  changes: Array<{ container: string; from?: string; to?: string }>;
}) {
  const classes = useChangesStyles();
  return (
    <Table size="small" aria-label="Changes">
      <TableHead className={classes.head}>
        <TableRow>
          <TableCell>Container</TableCell>
          <TableCell>{props.nowLabel}</TableCell>
          <TableCell>{props.afterLabel}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.changes.map(change => (
          <TableRow key={change.container}>
            <TableCell>{change.container}</TableCell>
            <TableCell>{change.from ?? '(none)'}</TableCell>
            <TableCell>{change.to ?? '(none)'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Props of {@link ActionDialogBody}. */
export interface ActionDialogBodyProps<P> {
  titleId: string;
  title: string;
  action: 'promote' | 'roll back';
  /** The preview of the action, as it loads. */
  preview: { loading: boolean; error?: Error; value?: P };
  /** What the action would change, shown until it is confirmed. */
  renderPreview: (preview: P) => ReactNode;
  /** Starts the action with the reason the user gave (and an admin's freeze override reason). */
  perform: (
    reason: string | undefined,
    overrideReason?: string,
  ) => Promise<ActionOutcome>;
  /** Reads the preview again: called when the backend refused with 409 (something changed). */
  reloadPreview?: () => void;
  /**
   * The caller may override what blocks the action (an admin, during a freeze window): a reason
   * field with this label, and confirming needs it.
   */
  overrideLabel?: string;
  confirmLabel: string;
  /** The confirm button's label while the action is starting. */
  startingLabel: string;
  confirmColor: 'primary' | 'secondary';
  /** The environment whose rollout the action starts. */
  rollout: {
    entityRef: string;
    environment: string;
    environmentTitle: string;
    pollIntervalMs?: number;
    timeoutMs?: number;
  };
  onClose: () => void;
  /** Called once the backend accepted the action. */
  onStarted?: (outcome: ActionOutcome) => void;
}

/**
 * The body of a promotion or rollback dialog: the preview with what blocks the action and a
 * reason field, then, once confirmed, the refusal or the rollout's progress and outcome.
 */
export function ActionDialogBody<
  P extends { allowed: boolean; blockers: GuardResult[] },
>(props: ActionDialogBodyProps<P>) {
  const { preview, onClose, onStarted, perform, reloadPreview } = props;
  const { overrideLabel } = props;
  const [reason, setReason] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const overriding = Boolean(overrideLabel && overrideReason.trim());

  const [submit, confirm] = useAsyncFn(async () => {
    try {
      const outcome = await perform(
        reason.trim() || undefined,
        overriding ? overrideReason.trim() : undefined,
      );
      onStarted?.(outcome);
      return outcome;
    } catch (error) {
      // What the user saw is out of date (e.g. the target changed): show it again as it is now.
      if (errorStatus(error) === 409) reloadPreview?.();
      throw error;
    }
  }, [perform, onStarted, reason, overriding, overrideReason, reloadPreview]);

  const outcome = submit.value;
  const canConfirm =
    !!(preview.value?.allowed || overriding) &&
    !preview.loading &&
    !submit.loading &&
    !outcome;

  return (
    <>
      <DialogTitle id={props.titleId}>{props.title}</DialogTitle>
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
            {props.renderPreview(preview.value)}
            {preview.value.blockers.map(blocker => (
              <Box mt={2} key={`${blocker.code}:${blocker.message}`}>
                <Alert severity="warning">
                  <AlertTitle>Cannot {props.action} now</AlertTitle>
                  {blocker.message}
                  {blocker.fix && <div>Fix: {blocker.fix}</div>}
                </Alert>
              </Box>
            ))}
            {overrideLabel && (
              <Box mt={2}>
                <TextField
                  id="ecs-deploy-override-reason"
                  label={overrideLabel}
                  value={overrideReason}
                  onChange={e => setOverrideReason(e.target.value)}
                  fullWidth
                  variant="outlined"
                  disabled={submit.loading}
                />
              </Box>
            )}
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
            <ActionError error={submit.error} action={props.action} />
          </Box>
        )}
        {outcome && <RolloutProgress {...props.rollout} outcome={outcome} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{outcome ? 'Close' : 'Cancel'}</Button>
        {!outcome && (
          <Button
            color={props.confirmColor}
            variant="contained"
            disabled={!canConfirm}
            onClick={() => confirm()}
          >
            {submit.loading ? props.startingLabel : props.confirmLabel}
          </Button>
        )}
      </DialogActions>
    </>
  );
}
