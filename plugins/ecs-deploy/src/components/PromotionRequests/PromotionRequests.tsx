import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  imageVersion,
  type PromotionPath,
  type PromotionPreview,
  type PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { usePolledRead } from '../../hooks/usePolledRead';
import { usePromotionPreviews } from '../../hooks/usePromotionPreviews';
import { actorName } from '../../lib/format';
import { pathKey } from '../../lib/pipeline';
import { GuardedButton } from '../GuardedButton';
import { RelativeTime } from '../RelativeTime';
import { ReasonDialog } from './ReasonDialog';

/** Props of {@link PromotionRequests}. */
export interface PromotionRequestsProps {
  entityRef: string;
  /** The entity's promotion paths; those that need an approval are shown. */
  paths: PromotionPath[];
  /** Display name of an environment (default: its name). */
  titles?: (environment: string) => string;
  /** Called after a request, approval, rejection or withdrawal (refresh the status). */
  onChanged?: () => void;
}

type Step = 'request' | 'approve' | 'reject' | 'withdraw';

const STATE_LABELS: Record<PromotionRequest['state'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  stale: 'Stale: request again',
};

const images = (r: PromotionRequest) =>
  r.images.map(i => `${i.container}: ${imageVersion(i)}`).join(', ');

/** Title, reason field and confirm button of each step. */
const DIALOGS: Record<
  Step,
  (
    label: string,
    request?: PromotionRequest,
  ) => {
    title: string;
    reasonLabel: string;
    reasonRequired?: boolean;
    confirmLabel: string;
  }
> = {
  request: label => ({
    title: `Request the promotion ${label}`,
    reasonLabel: 'Reason (required)',
    reasonRequired: true,
    confirmLabel: 'Request promotion',
  }),
  approve: (label, r) => ({
    title: `Approve ${actorName(r!.requester)}'s promotion ${label}`,
    reasonLabel: 'Comment (optional)',
    confirmLabel: 'Approve and promote',
  }),
  reject: (label, r) => ({
    title: `Reject ${actorName(r!.requester)}'s promotion ${label}`,
    reasonLabel: 'Reason (optional)',
    confirmLabel: 'Reject request',
  }),
  withdraw: label => ({
    title: `Withdraw your request ${label}`,
    reasonLabel: 'Reason (optional)',
    confirmLabel: 'Withdraw request',
  }),
};

/** One request: who asked for what and why, and where it stands. */
function RequestSummary(props: { request: PromotionRequest }) {
  const r = props.request;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        <strong>{STATE_LABELS[r.state]}</strong>: {actorName(r.requester)} asked{' '}
        <RelativeTime iso={r.createdAt} /> for {images(r)} ({r.reason})
        {r.decidedBy && ` — ${r.state} by ${actorName(r.decidedBy)}`}
        {r.decisionReason && `: ${r.decisionReason}`}
      </Typography>
      {r.state === 'pending' && (
        <Typography variant="caption" color="textSecondary">
          Expires <RelativeTime iso={r.expiresAt} />
        </Typography>
      )}
      {r.state === 'stale' && r.message && (
        <Typography variant="caption" color="textSecondary">
          {r.message}
        </Typography>
      )}
    </Box>
  );
}

/**
 * Promotions that need an approval: request one with a reason, see the request waiting, approve
 * or reject another person's (never one's own: withdraw it instead), and the latest decisions.
 * Renders nothing when no path of the entity needs an approval.
 */
export function PromotionRequests(props: PromotionRequestsProps) {
  const { entityRef, paths } = props;
  const titles = props.titles ?? ((env: string) => env);
  const api = useApi(ecsDeployApiRef);
  const identity = useApi(identityApiRef);
  const me = useAsync(
    async () => (await identity.getBackstageIdentity()).userEntityRef,
    [identity],
  ).value;
  const requests = usePolledRead(
    () => api.getPromotionRequests(entityRef, { limit: 10 }),
    [api, entityRef],
    { signal: entityRef },
  );
  // Read again whenever the requests change: whether one may request depends on them.
  const previews = usePromotionPreviews(entityRef, paths, requests.value);
  const [open, setOpen] = useState<{
    step: Step;
    path: PromotionPath;
    request?: PromotionRequest;
  }>();

  const gated = paths.filter(p => previews[pathKey(p)]?.approval);
  if (gated.length === 0) {
    return null;
  }
  const items = requests.value?.items ?? [];
  const done = () => {
    setOpen(undefined);
    requests.retry();
    props.onChanged?.();
  };
  const act = (reason: string | undefined) => {
    const { step, path, request } = open!;
    if (step === 'request') {
      return api.requestPromotion(entityRef, {
        from: path.from,
        to: path.to,
        reason: reason ?? '',
        expectedTargetTaskDefinition:
          previews[pathKey(path)]?.target?.taskDefinition.arn,
      });
    }
    return step === 'approve'
      ? api.approvePromotionRequest(entityRef, request!.id, { reason })
      : api.rejectPromotionRequest(entityRef, request!.id, { reason });
  };

  return (
    <InfoCard title="Promotion approvals">
      {gated.map(path => {
        const preview = previews[pathKey(path)] as PromotionPreview;
        const approval = preview.approval!;
        const pending = items.find(
          r =>
            r.state === 'pending' && r.from === path.from && r.to === path.to,
        );
        const label = `${titles(path.from)} → ${titles(path.to)}`;
        return (
          <Box key={pathKey(path)} mb={2} role="group" aria-label={label}>
            <Typography variant="subtitle1" component="h3">
              {label} needs an approval by another owner or an admin
            </Typography>
            {pending ? (
              <>
                <RequestSummary request={pending} />
                <Box display="flex" gridGap={8} flexWrap="wrap">
                  {pending.canDecide && (
                    <>
                      <Button
                        variant="contained"
                        color="primary"
                        onClick={() =>
                          setOpen({ step: 'approve', path, request: pending })
                        }
                      >
                        Approve
                      </Button>
                      <Button
                        variant="outlined"
                        onClick={() =>
                          setOpen({ step: 'reject', path, request: pending })
                        }
                      >
                        Reject
                      </Button>
                    </>
                  )}
                  {me && pending.requester === me && (
                    <>
                      <Typography variant="body2" color="textSecondary">
                        You requested it: another owner or an admin approves it.
                      </Typography>
                      <Button
                        variant="outlined"
                        onClick={() =>
                          setOpen({ step: 'withdraw', path, request: pending })
                        }
                      >
                        Withdraw
                      </Button>
                    </>
                  )}
                </Box>
              </>
            ) : (
              <GuardedButton
                label={`Request promotion to ${titles(path.to)}`}
                loading={false}
                allowed={approval.canRequest}
                deniedReason={approval.requestBlockers
                  .map(b => b.message)
                  .join(' ')}
                onClick={() => setOpen({ step: 'request', path })}
              />
            )}
          </Box>
        );
      })}
      {items.some(r => r.state !== 'pending') && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Recent requests
          </Typography>
          {items
            .filter(r => r.state !== 'pending')
            .slice(0, 5)
            .map(r => (
              <RequestSummary key={r.id} request={r} />
            ))}
        </Box>
      )}
      {open && (
        <ReasonDialog
          open
          onClose={() => setOpen(undefined)}
          onConfirm={act}
          onDone={done}
          {...DIALOGS[open.step](
            `${titles(open.path.from)} → ${titles(open.path.to)}`,
            open.request,
          )}
        >
          {open.step === 'request' ? (
            <Typography variant="body2">
              {titles(open.path.to)} gets exactly what {titles(open.path.from)}{' '}
              runs now (
              {previews[pathKey(open.path)]?.changes
                .map(c => `${c.container}: ${c.to}`)
                .join(', ')}
              ) once another owner or an admin approves.
            </Typography>
          ) : (
            open.request && <RequestSummary request={open.request} />
          )}
        </ReasonDialog>
      )}
    </InfoCard>
  );
}
