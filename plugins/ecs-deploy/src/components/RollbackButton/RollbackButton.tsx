import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import UndoIcon from '@material-ui/icons/Undo';
import {
  ecsDeployRollbackPermission,
  type ActionOutcome,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { useDeploymentSignal } from '../../hooks/useDeploymentSignal';
import { usePollIntervalMs, usePolling } from '../../hooks/usePolling';
import { GuardedButton } from '../GuardedButton';
import { RollbackDialog } from '../RollbackDialog';

/** Props of {@link RollbackButton}. */
export interface RollbackButtonProps {
  entityRef: string;
  environment: string;
  environmentTitle?: string;
  onStarted?: (outcome: ActionOutcome) => void;
}

/**
 * "Roll back <environment>", checked against the rollback permission of the entity and disabled
 * while there is nothing to roll back to (no promotion or rollback into what runs now is
 * recorded), as the backend's rollback preview says.
 */
export function RollbackButton(props: RollbackButtonProps) {
  const { entityRef, environment } = props;
  const title = props.environmentTitle ?? environment;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: ecsDeployRollbackPermission,
    resourceRef: entityRef,
  });
  const api = useApi(ecsDeployApiRef);
  const preview = useAsyncRetry(
    () => api.getRollbackPreview(entityRef, environment),
    [api, entityRef, environment],
  );
  usePolling(preview.retry, usePollIntervalMs());
  useDeploymentSignal(entityRef, preview.retry);
  // A preview that cannot be read leaves the button on: the dialog reads it again and says why.
  const nothing =
    preview.value && !preview.value.previous
      ? preview.value.blockers.find(b => b.code === 'no-previous-revision')
          ?.message ?? `Nothing to roll back to in ${title}.`
      : undefined;

  return (
    <>
      <GuardedButton
        label={`Roll back ${title}`}
        loading={permission.loading || (preview.loading && !preview.value)}
        allowed={permission.allowed && !nothing}
        deniedReason={
          permission.allowed
            ? nothing ?? ''
            : `You are not allowed to roll back this service in ${title}.`
        }
        onClick={() => setOpen(true)}
        color="secondary"
        startIcon={<UndoIcon />}
      />
      <RollbackDialog
        open={open}
        onClose={() => {
          setOpen(false);
          preview.retry();
        }}
        entityRef={entityRef}
        environment={environment}
        environmentTitle={title}
        onStarted={props.onStarted}
      />
    </>
  );
}
