import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  imageVersion,
  type AuditRecord,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  actorName,
  formatDuration,
  formatTaskDefinitionArn,
  formatTime,
} from '../../lib/format';
import { EcsTable, Ellipsis, type EcsColumn } from '../EcsTable';

const RESULT_LABELS: Record<AuditRecord['result'], string> = {
  started: 'Started',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
  rejected: 'Rejected',
  unknown: 'Outcome unknown',
};

const ACTION_LABELS: Record<AuditRecord['action'], (r: AuditRecord) => string> =
  {
    promote: r => `Promote ${r.fromEnvironment ?? '?'} → ${r.toEnvironment}`,
    rollback: r => `Roll back ${r.toEnvironment}`,
    'request-promotion': r =>
      `Request ${r.fromEnvironment ?? '?'} → ${r.toEnvironment}`,
    'reject-promotion': r =>
      `Reject ${r.fromEnvironment ?? '?'} → ${r.toEnvironment}`,
    reverify: r => `Verify ${r.toEnvironment} again`,
    'continue-verification': r => `Continue verification in ${r.toEnvironment}`,
    'abort-verification': r => `Abort verification in ${r.toEnvironment}`,
    hold: r => `Hold the deployment in ${r.toEnvironment}`,
    continue: r => `Continue the deployment in ${r.toEnvironment}`,
    abort: r => `Abort the deployment in ${r.toEnvironment}`,
    'skip-bake': r => `Skip the bake in ${r.toEnvironment}`,
  };

const OUTCOME_LABELS: Record<NonNullable<AuditRecord['outcome']>, string> = {
  'in-progress': 'Rolling out…',
  'rolled-out': 'Rolled out',
  failed: 'Failed',
  'rolled-back-automatically': 'Rolled back automatically',
};

/** Where the rollout of an action ended (what it was decided on, on hover). */
function outcomeOf(r: AuditRecord) {
  if (!r.outcome) return '—';
  const label = `${OUTCOME_LABELS[r.outcome] ?? r.outcome}${
    r.durationMs !== undefined ? ` after ${formatDuration(r.durationMs)}` : ''
  }`;
  return <Ellipsis text={label} title={r.outcomeMessage ?? label} />;
}

const columns: EcsColumn<AuditRecord>[] = [
  { id: 'when', title: 'When', render: r => formatTime(r.createdAt) },
  {
    id: 'action',
    title: 'Action',
    render: r => ACTION_LABELS[r.action]?.(r) ?? r.action,
  },
  { id: 'by', title: 'By', render: r => actorName(r.actor) },
  {
    id: 'result',
    title: 'Result',
    render: r => RESULT_LABELS[r.result] ?? r.result,
  },
  { id: 'outcome', title: 'Outcome', render: outcomeOf },
  {
    id: 'revision',
    title: 'Revision',
    render: r =>
      `${formatTaskDefinitionArn(
        r.previousTaskDefinition,
      )} → ${formatTaskDefinitionArn(r.newTaskDefinition)}`,
  },
  {
    id: 'images',
    title: 'Images',
    render: r => {
      const images = r.newImages.map(i => `${i.container}: ${imageVersion(i)}`);
      return images.length ? (
        <Ellipsis
          text={images.join(', ')}
          title={r.newImages.map(i => i.image).join(', ')}
        />
      ) : (
        '—'
      );
    },
  },
  {
    id: 'reason',
    title: 'Reason',
    render: r => <Ellipsis text={r.reason ?? '—'} />,
  },
  {
    id: 'message',
    title: 'Message',
    render: r => <Ellipsis text={r.message ?? '—'} />,
  },
];

const recordKey = (r: AuditRecord) => r.id;

const TITLE = 'Promotion and rollback history';

/**
 * Promotions and rollbacks of the entity, newest first. No word is ever broken: values stay on
 * one line and the table scrolls sideways (by keyboard too) when the window is narrow.
 */
export function HistoryTable(props: { items: AuditRecord[] }) {
  return (
    <InfoCard title={TITLE}>
      {props.items.length === 0 ? (
        <Typography variant="body2">No promotions or rollbacks yet.</Typography>
      ) : (
        <EcsTable
          label={TITLE}
          rows={props.items}
          rowKey={recordKey}
          columns={columns}
        />
      )}
    </InfoCard>
  );
}
