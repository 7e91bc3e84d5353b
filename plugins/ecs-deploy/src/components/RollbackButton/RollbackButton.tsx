import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import UndoIcon from '@material-ui/icons/Undo';
import {
  ecsDeployRollbackPermission,
  type ActionOutcome,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { usePolledRead } from '../../hooks/usePolledRead';
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
  const preview = usePolledRead(
    () => api.getRollbackPreview(entityRef, environment),
    [api, entityRef, environment],
    { signal: entityRef },
  );
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
