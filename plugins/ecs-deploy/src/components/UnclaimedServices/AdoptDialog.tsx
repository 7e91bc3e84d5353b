import { Progress, StatusError, StatusOK } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type { AdoptionResult } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { ActionDialog } from '../ActionDialog';
import { teamName } from '../Filters';

const TITLE_ID = 'adopt-title';

/** One adoption: a service in its environments, for a group. */
export interface AdoptionTarget {
  serviceName: string;
  environments: string[];
  owner: string;
}

/** What an adoption wrote (or would write), per environment. */
function Written(props: {
  result: AdoptionResult;
  environmentTitle: (name: string) => string;
}) {
  return (
    <ul>
      {props.result.services.map(s => (
        <li key={s.environment}>
          <Typography variant="body2">
            {props.environmentTitle(s.environment)}: tag{' '}
            <code>backstage:entity-ref={props.result.entityRef}</code>
            {s.imageParameters.length > 0 &&
              `; image parameter${
                s.imageParameters.length === 1 ? '' : 's'
              } ${s.imageParameters.map(p => p.name).join(', ')}`}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/**
 * Adoption through the portal's API, where the app has no adoption template: the backend's dry
 * run first (what it would write, or why it refuses), then the claim itself (the tag, and the
 * image parameters from the running images). The component itself comes from the team's
 * catalog-info.yaml.
 */
export function AdoptDialog(props: {
  target?: AdoptionTarget;
  onClose: (adopted: boolean) => void;
  environmentTitle: (name: string) => string;
}) {
  return (
    <ActionDialog
      open={Boolean(props.target)}
      onClose={() => props.onClose(false)}
      titleId={TITLE_ID}
    >
      {props.target && <AdoptBody {...props} target={props.target} />}
    </ActionDialog>
  );
}

function AdoptBody(props: {
  target: AdoptionTarget;
  onClose: (adopted: boolean) => void;
  environmentTitle: (name: string) => string;
}) {
  const { target, environmentTitle } = props;
  const api = useApi(ecsDeployApiRef);
  const preview = useAsync(
    () => api.adoptService({ ...target, dryRun: true }),
    [api, target],
  );
  const [adoption, adopt] = useAsyncFn(
    () => api.adoptService({ ...target, dryRun: false }),
    [api, target],
  );
  const done = adoption.value;

  return (
    <>
      <DialogTitle id={TITLE_ID}>Adopt {target.serviceName}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          {target.serviceName} becomes component {target.serviceName}, owned by{' '}
          {teamName(target.owner)}, in{' '}
          {target.environments.map(environmentTitle).join(' and ')}. Only its
          tags change; it keeps running what it runs.
        </Typography>
        {preview.loading && <Progress />}
        {preview.error && (
          <StatusError>Cannot adopt: {preview.error.message}</StatusError>
        )}
        {preview.value && !done && (
          <>
            <StatusOK>Ready to adopt. The adoption writes:</StatusOK>
            <Written
              result={preview.value}
              environmentTitle={environmentTitle}
            />
          </>
        )}
        {adoption.error && (
          <Alert severity="error">{adoption.error.message}</Alert>
        )}
        {done && (
          <Alert severity="success">
            Adopted as {done.entityRef}. Register its catalog-info.yaml (kind
            Component, name {target.serviceName}, owner {teamName(done.owner)})
            and its page shows the deployments.
            <Written result={done} environmentTitle={environmentTitle} />
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(Boolean(done))}>
          {done ? 'Close' : 'Cancel'}
        </Button>
        {!done && (
          <Button
            variant="contained"
            color="primary"
            disabled={!preview.value || adoption.loading}
            onClick={adopt}
          >
            Adopt
          </Button>
        )}
      </DialogActions>
    </>
  );
}
