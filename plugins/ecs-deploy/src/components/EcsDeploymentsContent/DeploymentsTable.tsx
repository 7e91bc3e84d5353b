import { Table, type TableColumn } from '@backstage/core-components';
import type { DeploymentInfo } from '@internal/plugin-ecs-deploy-common';
import {
  formatImageVersion,
  formatTaskDefinition,
  formatTime,
} from '../../lib/format';

const columns: TableColumn<DeploymentInfo>[] = [
  { title: 'Status', field: 'status' },
  {
    title: 'Task definition',
    render: d => formatTaskDefinition(d.taskDefinition),
  },
  {
    title: 'Images',
    render: d =>
      d.images.map(i => `${i.container}: ${formatImageVersion(i)}`).join(', '),
  },
  {
    title: 'Rollout',
    render: d =>
      `${d.rolloutState ?? '—'}${
        d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''
      }`,
  },
  {
    title: 'Tasks',
    render: d =>
      `${d.runningCount} running / ${d.desiredCount} desired / ${d.pendingCount} pending`,
  },
  { title: 'Failed tasks', field: 'failedTasks', type: 'numeric' },
  { title: 'Created', render: d => formatTime(d.createdAt) },
  { title: 'Updated', render: d => formatTime(d.updatedAt) },
];

/** The ECS deployments of a service (PRIMARY first). */
export function DeploymentsTable(props: {
  title: string;
  deployments: DeploymentInfo[];
}) {
  return (
    <Table<DeploymentInfo>
      title={props.title}
      columns={columns}
      data={props.deployments}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
}
