import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { errorMessage, errorStatus } from '../../lib/format';

/** A refused or failed promotion/rollback, with the server's reason. */
export function ActionError(props: {
  error: unknown;
  action: 'promote' | 'roll back';
}) {
  const status = errorStatus(props.error);
  let title = `Could not ${props.action}`;
  if (status === 409) {
    title = `Refused: the ${
      props.action === 'promote' ? 'promotion' : 'rollback'
    } was not started`;
  } else if (status === 403) {
    title = `You are not allowed to ${props.action} this service`;
  }
  return (
    <Alert severity="error">
      <AlertTitle>{title}</AlertTitle>
      {errorMessage(props.error)}
    </Alert>
  );
}
