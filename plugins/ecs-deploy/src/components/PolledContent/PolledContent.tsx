import type { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';

/** The state of a read that is refreshed (polled): the last answer, and the last error. */
export interface PolledState<T> {
  loading: boolean;
  value?: T;
  error?: Error;
}

/**
 * A polled read: a progress bar until the first answer, the error when there is no answer,
 * else `children` of the last answer (kept when a refresh fails: see {@link RefreshWarning}).
 */
export function PolledContent<T>(props: {
  state: PolledState<T>;
  /** Title of the error panel. */
  errorTitle?: string;
  children: (value: T) => ReactNode;
}) {
  const { value, loading, error } = props.state;
  if (value !== undefined) {
    return <>{props.children(value)}</>;
  }
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title={props.errorTitle} />;
  }
  return null;
}

/** A warning that the last refresh failed, when it did: the content shows the last answer. */
export function RefreshWarning(props: { error?: Error }) {
  if (!props.error) {
    return null;
  }
  return (
    <Box mb={1}>
      <Alert severity="warning">Could not refresh: {props.error.message}</Alert>
    </Box>
  );
}
