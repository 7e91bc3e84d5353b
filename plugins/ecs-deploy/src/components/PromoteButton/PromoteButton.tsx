import { useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import {
  ecsDeployPromotePermission,
  type ActionOutcome,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { GuardedButton } from '../GuardedButton';
import { PromoteDialog } from '../PromoteDialog';

/** Props of {@link PromoteButton}. */
export interface PromoteButtonProps {
  entityRef: string;
  from: string;
  to: string;
  fromTitle?: string;
  toTitle?: string;
  /** Disable the button with this reason even when permitted (e.g. nothing to promote). */
  disabledReason?: string;
  onStarted?: (outcome: ActionOutcome) => void;
}

/** "Promote <from> to <to>", checked against the promote permission of the entity. */
export function PromoteButton(props: PromoteButtonProps) {
  const { entityRef, from, to } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: ecsDeployPromotePermission,
    resourceRef: entityRef,
  });
  const allowed = permission.allowed && !props.disabledReason;
  // Not being allowed is the reason that matters to the caller, whatever the environments show.
  const deniedReason = permission.allowed
    ? props.disabledReason ?? ''
    : `You are not allowed to promote this service to ${props.toTitle ?? to}.`;

  return (
    <>
      <GuardedButton
        label={`Promote ${from} to ${to}`}
        loading={permission.loading}
        allowed={allowed}
        deniedReason={deniedReason}
        onClick={() => setOpen(true)}
        startIcon={<ArrowForwardIcon />}
      />
      <PromoteDialog
        open={open}
        onClose={() => setOpen(false)}
        entityRef={entityRef}
        from={from}
        to={to}
        fromTitle={props.fromTitle}
        toTitle={props.toTitle}
        onStarted={props.onStarted}
      />
    </>
  );
}
