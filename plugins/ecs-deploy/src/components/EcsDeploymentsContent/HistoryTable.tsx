import type { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  imageVersion,
  type AuditRecord,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  actorName,
  formatTaskDefinitionArn,
  formatTime,
} from '../../lib/format';
import {
  Ellipsis,
  ScrollingTable,
  useServiceTableStyles,
} from '../ServiceRows';

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
  };

const OUTCOME_LABELS: Record<NonNullable<AuditRecord['outcome']>, string> = {
  'in-progress': 'Rolling out…',
  'rolled-out': 'Rolled out',
  failed: 'Failed',
  'rolled-back-automatically': 'Rolled back automatically',
};

/** "42 s", "3 min 5 s": how long from the click to the outcome. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Where the rollout of an action ended (what it was decided on, on hover). */
function outcomeOf(r: AuditRecord) {
  if (!r.outcome) return '—';
  const label = `${OUTCOME_LABELS[r.outcome] ?? r.outcome}${
    r.durationMs !== undefined ? ` after ${duration(r.durationMs)}` : ''
  }`;
  return <Ellipsis text={label} title={r.outcomeMessage ?? label} />;
}

const columns: Array<{ title: string; render: (r: AuditRecord) => ReactNode }> =
  [
    { title: 'When', render: r => formatTime(r.createdAt) },
    {
      title: 'Action',
      render: r => ACTION_LABELS[r.action]?.(r) ?? r.action,
    },
    { title: 'By', render: r => actorName(r.actor) },
    { title: 'Result', render: r => RESULT_LABELS[r.result] ?? r.result },
    { title: 'Outcome', render: outcomeOf },
    {
      title: 'Revision',
      render: r =>
        `${formatTaskDefinitionArn(
          r.previousTaskDefinition,
        )} → ${formatTaskDefinitionArn(r.newTaskDefinition)}`,
    },
    {
      title: 'Images',
      render: r => {
        const images = r.newImages.map(
          i => `${i.container}: ${imageVersion(i)}`,
        );
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
    { title: 'Reason', render: r => <Ellipsis text={r.reason ?? '—'} /> },
    { title: 'Message', render: r => <Ellipsis text={r.message ?? '—'} /> },
  ];

const TITLE = 'Promotion and rollback history';

/**
 * Promotions and rollbacks of the entity, newest first. No word is ever broken: values stay on
 * one line and the table scrolls sideways (by keyboard too) when the window is narrow.
 */
export function HistoryTable(props: { items: AuditRecord[] }) {
  const classes = useServiceTableStyles();
  return (
    <InfoCard title={TITLE}>
      {props.items.length === 0 ? (
        <Typography variant="body2">No promotions or rollbacks yet.</Typography>
      ) : (
        <ScrollingTable label={TITLE}>
          <Table size="small" aria-label={TITLE} className={classes.table}>
            <TableHead>
              <TableRow>
                {columns.map(c => (
                  <TableCell key={c.title}>{c.title}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {props.items.map(r => (
                <TableRow key={r.id}>
                  {columns.map(c => (
                    <TableCell key={c.title}>{c.render(r)}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollingTable>
      )}
    </InfoCard>
  );
}
