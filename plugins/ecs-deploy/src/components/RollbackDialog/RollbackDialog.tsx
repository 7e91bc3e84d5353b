import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ActionOutcome,
  RollbackPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { formatTaskDefinition } from '../../lib/format';
import {
  ActionDialog,
  ActionDialogBody,
  ImageChangesTable,
} from '../ActionDialog';

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
  const { entityRef, environment } = props;
  const title = props.environmentTitle ?? environment;
  const api = useApi(ecsDeployApiRef);

  const preview = useAsyncRetry(
    () => api.getRollbackPreview(entityRef, environment),
    [api, entityRef, environment],
  );

  return (
    <ActionDialogBody
      titleId={TITLE_ID}
      title={`Roll back ${title}`}
      action="roll back"
      preview={preview}
      renderPreview={value => (
        <>
          <Typography variant="body2" gutterBottom>
            {title} runs{' '}
            <strong>
              {formatTaskDefinition(value.current?.taskDefinition)}
            </strong>
            ; after the rollback it runs the previous revision{' '}
            <strong>
              {formatTaskDefinition(value.previous?.taskDefinition)}
            </strong>
            .
          </Typography>
          {value.previous && (
            <ImageChangesTable
              nowLabel="Now"
              afterLabel="After rollback"
              changes={imageChanges(value)}
            />
          )}
        </>
      )}
      perform={reason =>
        api.rollback(entityRef, {
          environment,
          // The revision the user saw running: refused (409) when it changed since.
          expectedTaskDefinition: preview.value?.current?.taskDefinition.arn,
          reason,
        })
      }
      confirmLabel={`Roll back ${title}`}
      startingLabel="Rolling back…"
      confirmColor="secondary"
      rollout={{
        entityRef,
        environment,
        environmentTitle: title,
        pollIntervalMs: props.pollIntervalMs,
        timeoutMs: props.timeoutMs,
      }}
      reloadPreview={preview.retry}
      onClose={props.onClose}
      onStarted={props.onStarted}
    />
  );
}

/** Confirms a rollback to the previous revision, then follows the rollout. */
export function RollbackDialog(props: RollbackDialogProps) {
  return (
    <ActionDialog open={props.open} onClose={props.onClose} titleId={TITLE_ID}>
      <RollbackDialogBody {...props} />
    </ActionDialog>
  );
}
