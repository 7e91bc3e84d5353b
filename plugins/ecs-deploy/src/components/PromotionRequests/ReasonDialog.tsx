import { useState, type ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { errorMessage, errorStatus } from '../../lib/format';

/** Props of {@link ReasonDialog}. */
export interface ReasonDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  /** What the step does, above the reason field. */
  children?: ReactNode;
  reasonLabel: string;
  /** The step needs a reason (a request does). */
  reasonRequired?: boolean;
  confirmLabel: string;
  /** Carries the step out; its refusal is shown and the dialog stays open. */
  onConfirm: (reason: string | undefined) => Promise<unknown>;
  /** Called once the step succeeded (the dialog closes). */
  onDone: () => void;
}

/** Asks for a reason, carries a request step out, and says why the backend refused it. */
export function ReasonDialog(props: ReasonDialogProps) {
  const { open, onClose, onConfirm, onDone } = props;
  const [reason, setReason] = useState('');
  const [state, confirm] = useAsyncFn(async () => {
    await onConfirm(reason.trim() || undefined);
    setReason('');
    onDone();
  }, [onConfirm, onDone, reason]);
  const missing = props.reasonRequired && !reason.trim();
  const titleId = `ecs-deploy-reason-${props.confirmLabel
    .toLowerCase()
    .replace(/\W+/g, '-')}`;
  const status = errorStatus(state.error);

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        <Box mt={2}>
          <TextField
            id={`${titleId}-reason`}
            label={props.reasonLabel}
            value={reason}
            onChange={e => setReason(e.target.value)}
            required={props.reasonRequired}
            fullWidth
            multiline
            variant="outlined"
            disabled={state.loading}
          />
        </Box>
        {state.error && (
          <Box mt={2}>
            <Alert severity="error">
              <AlertTitle>
                {status === 403 && 'Not allowed'}
                {status === 409 && 'Refused'}
                {status !== 403 && status !== 409 && 'Failed'}
              </AlertTitle>
              {errorMessage(state.error)}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={state.loading || missing}
          onClick={() => confirm()}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
