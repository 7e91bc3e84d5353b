import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ActionOutcome,
  PromotionPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { formatTaskDefinition } from '../../lib/format';
import {
  ActionDialog,
  ActionDialogBody,
  ImageChangesTable,
} from '../ActionDialog';
import { DefinitionDiff, PreflightChecks } from './PreflightAndDiff';

/** Props of {@link PromoteDialog}. */
export interface PromoteDialogProps {
  open: boolean;
  onClose: () => void;
  entityRef: string;
  from: string;
  to: string;
  fromTitle?: string;
  toTitle?: string;
  /** Called once the backend accepted the promotion. */
  onStarted?: (outcome: ActionOutcome) => void;
  /** How often the rollout is checked after confirming (default 5 s). */
  pollIntervalMs?: number;
  /** When to stop following the rollout (default 15 min). */
  timeoutMs?: number;
}

const TITLE_ID = 'ecs-deploy-promote-dialog-title';

/** Only a freeze window refuses the promotion, and the user (an admin) may override it. */
function onlyFrozen(preview: PromotionPreview): boolean {
  return (
    !!preview.canOverrideFreeze &&
    preview.blockers.length > 0 &&
    preview.blockers.every(b => b.code === 'freeze-window')
  );
}

function PromoteDialogBody(props: PromoteDialogProps) {
  const { entityRef, from, to } = props;
  const fromTitle = props.fromTitle ?? from;
  const toTitle = props.toTitle ?? to;
  const api = useApi(ecsDeployApiRef);

  const preview = useAsyncRetry(
    () => api.getPromotionPreview(entityRef, { from, to }),
    [api, entityRef, from, to],
  );

  return (
    <ActionDialogBody
      titleId={TITLE_ID}
      title={`Promote ${fromTitle} to ${toTitle}`}
      action="promote"
      preview={preview}
      renderPreview={value => (
        <>
          <Typography variant="body2" gutterBottom>
            {toTitle} runs{' '}
            <strong>
              {formatTaskDefinition(value.target?.taskDefinition)}
            </strong>
            ; after the promotion it runs the images of {fromTitle} (
            <strong>
              {formatTaskDefinition(value.source?.taskDefinition)}
            </strong>
            ).
          </Typography>
          {value.changes.length === 0 ? (
            <Typography variant="body2">No image changes.</Typography>
          ) : (
            <ImageChangesTable
              nowLabel={`Now in ${toTitle}`}
              afterLabel="After promotion"
              changes={value.changes}
            />
          )}
          {value.differences && (
            <DefinitionDiff
              differences={value.differences}
              fromTitle={fromTitle}
              toTitle={toTitle}
            />
          )}
          {value.preflight && <PreflightChecks results={value.preflight} />}
        </>
      )}
      perform={(reason, overrideReason) =>
        api.promote(entityRef, {
          from,
          to,
          // The revision the user saw: the backend refuses (409) when the target changed since.
          expectedTargetTaskDefinition:
            preview.value?.target?.taskDefinition.arn,
          reason,
          overrideReason,
        })
      }
      overrideLabel={
        preview.value && onlyFrozen(preview.value)
          ? `Override the freeze window: reason (required, audited)`
          : undefined
      }
      confirmLabel={`Promote to ${toTitle}`}
      startingLabel="Promoting…"
      confirmColor="primary"
      rollout={{
        entityRef,
        environment: to,
        environmentTitle: toTitle,
        pollIntervalMs: props.pollIntervalMs,
        timeoutMs: props.timeoutMs,
      }}
      reloadPreview={preview.retry}
      onClose={props.onClose}
      onStarted={props.onStarted}
    />
  );
}

/**
 * Confirms a promotion: shows what will change and what blocks it, then follows the rollout.
 */
export function PromoteDialog(props: PromoteDialogProps) {
  return (
    <ActionDialog open={props.open} onClose={props.onClose} titleId={TITLE_ID}>
      <PromoteDialogBody {...props} />
    </ActionDialog>
  );
}
