import { Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import type { AuditRecord } from '@internal/plugin-ecs-deploy-common';
import { formatImageVersion, formatTime } from '../../lib/format';

function revisionOf(arn?: string): string {
  // arn:aws:ecs:region:account:task-definition/family:revision → family:revision
  return arn ? arn.split('/').pop() ?? arn : '—';
}

const RESULT_LABELS: Record<AuditRecord['result'], string> = {
  started: 'Started',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
  rejected: 'Rejected',
  unknown: 'Outcome unknown',
};

const columns: TableColumn<AuditRecord>[] = [
  { title: 'When', render: r => formatTime(r.createdAt) },
  {
    title: 'Action',
    render: r =>
      r.action === 'promote'
        ? `Promote ${r.fromEnvironment ?? '?'} → ${r.toEnvironment}`
        : `Roll back ${r.toEnvironment}`,
  },
  { title: 'By', field: 'actor' },
  { title: 'Result', render: r => RESULT_LABELS[r.result] ?? r.result },
  {
    title: 'Revision',
    render: r =>
      `${revisionOf(r.previousTaskDefinition)} → ${revisionOf(
        r.newTaskDefinition,
      )}`,
  },
  {
    title: 'Images',
    render: r =>
      r.newImages
        .map(i => `${i.container}: ${formatImageVersion(i)}`)
        .join(', ') || '—',
  },
  { title: 'Reason', render: r => r.reason ?? '—' },
  { title: 'Message', render: r => r.message ?? '—' },
];

/** Promotions and rollbacks of the entity, newest first. */
export function HistoryTable(props: { items: AuditRecord[] }) {
  return (
    <Table<AuditRecord>
      title="Promotion and rollback history"
      columns={columns}
      data={props.items}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={<Box p={2}>No promotions or rollbacks yet.</Box>}
    />
  );
}
