import { useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import UndoIcon from '@material-ui/icons/Undo';
import {
  ecsDeployRollbackPermission,
  type ActionOutcome,
} from '@internal/plugin-ecs-deploy-common';
import { GuardedButton } from '../GuardedButton';
import { RollbackDialog } from '../RollbackDialog';

/** Props of {@link RollbackButton}. */
export interface RollbackButtonProps {
  entityRef: string;
  environment: string;
  environmentTitle?: string;
  onStarted?: (outcome: ActionOutcome) => void;
}

/** "Roll back <environment>", checked against the rollback permission of the entity. */
export function RollbackButton(props: RollbackButtonProps) {
  const { entityRef, environment } = props;
  const title = props.environmentTitle ?? environment;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: ecsDeployRollbackPermission,
    resourceRef: entityRef,
  });

  return (
    <>
      <GuardedButton
        label={`Roll back ${title}`}
        loading={permission.loading}
        allowed={permission.allowed}
        deniedReason={`You are not allowed to roll back this service in ${title}.`}
        onClick={() => setOpen(true)}
        color="secondary"
        startIcon={<UndoIcon />}
      />
      <RollbackDialog
        open={open}
        onClose={() => setOpen(false)}
        entityRef={entityRef}
        environment={environment}
        environmentTitle={title}
        onStarted={props.onStarted}
      />
    </>
  );
}
