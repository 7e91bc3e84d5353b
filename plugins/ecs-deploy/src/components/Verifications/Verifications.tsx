import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type {
  Verification,
  VerificationCheck,
  VerificationStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { usePolledRead } from '../../hooks/usePolledRead';
import { useApi } from '@backstage/core-plugin-api';
import { actorName, formatTaskDefinitionArn } from '../../lib/format';
import { ReasonDialog } from '../PromotionRequests/ReasonDialog';
import { RelativeTime } from '../RelativeTime';

/** Props of {@link Verifications}. */
export interface VerificationsProps {
  entityRef: string;
  /** Display name of an environment (default: its name). */
  titles?: (environment: string) => string;
  /** Called after a decision (refresh the status and history). */
  onChanged?: () => void;
}

const STATUS_LABELS: Record<VerificationStatus, string> = {
  running: 'Verifying',
  verified: 'Verified',
  failed: 'Failed',
  held: 'Inconclusive: held for an owner',
  continued: 'Continued by an owner',
  aborted: 'Aborted by an owner',
  cancelled: 'Cancelled',
  skipped: 'Nothing to check',
};

/** `200 status`, `0.4 % (≤ 1)`: what a check measured against its threshold. */
function measured(check: VerificationCheck): string | undefined {
  if (check.value === undefined) return undefined;
  const unit = check.unit === 'status' ? '' : ` ${check.unit ?? ''}`;
  const threshold =
    check.threshold === undefined ? '' : ` (threshold ${check.threshold})`;
  return `${check.value}${unit.trimEnd()}${threshold}`;
}

/** One verification: its outcome, why, each check with its value, a rollback and a decision. */
function VerificationSummary(props: { verification: Verification }) {
  const v = props.verification;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        <strong>{STATUS_LABELS[v.status]}</strong>:{' '}
        {formatTaskDefinitionArn(v.taskDefinition)}, started{' '}
        <RelativeTime iso={v.createdAt} />
        {v.message && ` — ${v.message}`}
      </Typography>
      <ul aria-label="Checks">
        {v.checks.map(c => (
          <li key={`${c.kind}:${c.name}`}>
            <Typography variant="caption">
              {c.kind} {c.name}: {c.status}
              {measured(c) && `, ${measured(c)}`}
            </Typography>
          </li>
        ))}
      </ul>
      {v.rollback && (
        <Typography variant="body2">{v.rollback.message}</Typography>
      )}
      {v.resolution && (
        <Typography variant="caption" color="textSecondary">
          {v.resolution.decision === 'continue' ? 'Continued' : 'Aborted'} by{' '}
          {actorName(v.resolution.by)}
          {v.resolution.reason && `: ${v.resolution.reason}`}
        </Typography>
      )}
    </Box>
  );
}

/**
 * What the verification after each deployment found, per environment (the newest one): its
 * checks with the measured values, and for a held (inconclusive) one, Continue or Abort for the
 * entity's owners. Renders nothing before the first verification.
 */
export function Verifications(props: VerificationsProps) {
  const { entityRef } = props;
  const titles = props.titles ?? ((env: string) => env);
  const api = useApi(ecsDeployApiRef);
  const list = usePolledRead(
    () => api.getVerifications(entityRef, { limit: 20 }),
    [api, entityRef],
    { signal: entityRef },
  );
  const [open, setOpen] = useState<{
    decision: 'continue' | 'abort';
    verification: Verification;
  }>();
  const items = list.value?.items ?? [];
  const newest = items.filter(
    (v, i) => items.findIndex(o => o.environment === v.environment) === i,
  );
  if (newest.length === 0) return null;

  return (
    <InfoCard title="Verification">
      {newest.map(v => (
        <Box key={v.id} mb={2} role="group" aria-label={titles(v.environment)}>
          <Typography variant="subtitle1" component="h3">
            {titles(v.environment)}
          </Typography>
          <VerificationSummary verification={v} />
          {v.canResolve && (
            <Box display="flex" gridGap={8}>
              <Button
                variant="contained"
                color="primary"
                onClick={() =>
                  setOpen({ decision: 'continue', verification: v })
                }
              >
                Continue
              </Button>
              <Button
                variant="outlined"
                onClick={() => setOpen({ decision: 'abort', verification: v })}
              >
                Abort
              </Button>
            </Box>
          )}
        </Box>
      ))}
      {open && (
        <ReasonDialog
          open
          title={`${
            open.decision === 'continue' ? 'Continue' : 'Abort'
          } the verification in ${titles(open.verification.environment)}`}
          reasonLabel="Reason (optional)"
          confirmLabel={
            open.decision === 'continue'
              ? 'Continue: keep this revision'
              : 'Abort: roll back'
          }
          onClose={() => setOpen(undefined)}
          onConfirm={reason =>
            api.resolveVerification(
              entityRef,
              open.verification.id,
              open.decision,
              { reason },
            )
          }
          onDone={() => {
            setOpen(undefined);
            list.retry();
            props.onChanged?.();
          }}
        >
          <VerificationSummary verification={open.verification} />
        </ReasonDialog>
      )}
    </InfoCard>
  );
}
