import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  AuditRecord,
  TaskInfo,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeploymentsContent } from './EcsDeploymentsContent';
import {
  auditRecord,
  entityRef,
  entityStatus,
  envStatus,
  mockEcsDeployApi,
  restrictedEntity,
  td,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const stoppedTask: TaskInfo = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/demo-prod/abc123',
  taskId: 'abc123',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  taskDefinition: td('prod', 7),
  startedAt: '2026-11-20T09:00:00Z',
  stoppedAt: '2026-11-20T09:01:00Z',
  stoppedReason: 'Essential container in task exited',
  stopCode: 'EssentialContainerExited',
  containers: [
    {
      name: 'app',
      lastStatus: 'STOPPED',
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
      logLink: {
        title: 'Task logs',
        url: 'https://logs.example.com/prod/abc123',
        kind: 'cloudwatch',
      },
    },
  ],
};

const history: AuditRecord[] = [
  auditRecord({
    id: 'a2',
    action: 'rollback',
    actor: 'user:default/bob',
    fromEnvironment: undefined,
    previousTaskDefinition: td('prod', 8).arn,
    newTaskDefinition: td('prod', 7).arn,
    newImages: [
      { container: 'app', image: 'payments-api:v1.4.0', tag: 'v1.4.0' },
    ],
    reason: 'errors after 1.5.0',
    createdAt: '2026-11-21T12:00:00Z',
  }),
  auditRecord({
    previousTaskDefinition: td('prod', 7).arn,
    newTaskDefinition: td('prod', 8).arn,
    newImages: [
      { container: 'app', image: 'payments-api:v1.5.0', tag: 'v1.5.0' },
    ],
    result: 'failed',
    message: 'circuit breaker tripped',
    createdAt: '2026-11-21T11:00:00Z',
  }),
];

describe('EcsDeploymentsContent', () => {
  it('opens with the pipeline, then one timeline per environment merging deployments, ECS events and history', async () => {
    const api = mockEcsDeployApi({
      getHistory: jest.fn().mockResolvedValue({ items: history }),
    });
    renderEcs(<EcsDeploymentsContent />, { api });
    expect(
      await screen.findByRole('region', { name: 'Staging' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', {
        name: 'Promotion from Staging to Production',
      }),
    ).toBeInTheDocument();
    const timeline = await screen.findByRole('list', {
      name: 'Timeline of Production',
    });
    const entries = within(timeline)
      .getAllByRole('listitem')
      .map(item => item.textContent);
    // Newest first: our history (21 Nov), then ECS's deployment and event (20 Nov, same time).
    expect(entries).toEqual([
      expect.stringContaining('Rollback by bob succeeded'),
      expect.stringContaining('Promotion from staging by alice failed'),
      expect.stringContaining('Deployment of payments-api-prod:7 completed'),
      expect.stringContaining('Service has reached a steady state.'),
      expect.stringContaining(
        'Deployment of payments-api-prod:7 started (v1.4.0)',
      ),
    ]);
    expect(
      screen.getByRole('list', { name: 'Timeline of Staging' }),
    ).toBeInTheDocument();
  });

  it('collapses a timeline, and says what will appear in an empty one', async () => {
    const quiet = envStatus('prod');
    quiet.service!.deployments = [];
    quiet.service!.events = [];
    const api = mockEcsDeployApi({
      getEntityStatus: jest
        .fn()
        .mockResolvedValue(entityStatus([envStatus('staging'), quiet])),
    });
    renderEcs(<EcsDeploymentsContent />, { api });
    expect(
      await screen.findByText(
        /^Nothing recorded yet\. Deployments of payments-api, ECS service events/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No recent events/)).not.toBeInTheDocument();
    const summary = screen.getByRole('button', { name: /Staging: timeline/ });
    expect(summary).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(summary);
    expect(summary).toHaveAttribute('aria-expanded', 'false');
  });

  it('loads the tasks on demand, with stopped reasons, exit codes and log links', async () => {
    const api = mockEcsDeployApi({
      getEnvironmentTasks: jest
        .fn()
        .mockResolvedValue({ environment: 'prod', tasks: [stoppedTask] }),
    });
    renderEcs(<EcsDeploymentsContent />, { api });
    const load = await screen.findByRole('button', {
      name: 'Load tasks (Production)',
    });
    // The logs view reads the task list for its picker; the table shows when asked for.
    expect(screen.queryByText('Tasks in Production')).not.toBeInTheDocument();
    await userEvent.click(load);
    expect(api.getEnvironmentTasks).toHaveBeenCalledWith(entityRef, 'prod');
    expect(await screen.findByText('Tasks in Production')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Essential container in task exited (EssentialContainerExited)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/exit code 137/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Logs \(app\)/ })).toHaveAttribute(
      'href',
      'https://logs.example.com/prod/abc123',
    );
    expect(
      screen.getByRole('button', { name: 'Reload tasks (Production)' }),
    ).toBeEnabled();
  });

  it('shows the promotion and rollback history, newest first', async () => {
    const api = mockEcsDeployApi({
      getHistory: jest.fn().mockResolvedValue({ items: history }),
    });
    renderEcs(<EcsDeploymentsContent />, { api });
    const table = await screen.findByRole('table', {
      name: 'Promotion and rollback history',
    });
    const rollback = within(table).getByText('Roll back prod').closest('tr')!;
    expect(within(rollback).getByText('bob')).toBeInTheDocument();
    expect(within(rollback).getByText('Succeeded')).toBeInTheDocument();
    expect(
      within(rollback).getByText('payments-api-prod:8 → payments-api-prod:7'),
    ).toBeInTheDocument();
    expect(
      within(rollback).getByText('errors after 1.5.0'),
    ).toBeInTheDocument();
    const promote = within(table)
      .getByText('Promote staging → prod')
      .closest('tr')!;
    expect(within(promote).getByText('Failed')).toBeInTheDocument();
    expect(
      within(promote).getByText('circuit breaker tripped'),
    ).toBeInTheDocument();
    const rows = within(table).getAllByText(
      /^(Roll back prod|Promote staging → prod)$/,
    );
    expect(rows.map(r => r.textContent)).toEqual([
      'Roll back prod',
      'Promote staging → prod',
    ]);
    expect(api.getHistory).toHaveBeenCalledWith(entityRef, { limit: 50 });
  });

  it('opens the rollback dialog from an environment when allowed', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<EcsDeploymentsContent />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back Production' }),
    );
    expect(
      await screen.findByRole('dialog', { name: 'Roll back Production' }),
    ).toBeInTheDocument();
    expect(api.getRollbackPreview).toHaveBeenCalledWith(entityRef, 'prod');
  });

  it('disables rollback and promotion with the reason when not allowed', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<EcsDeploymentsContent />, {
      api,
      entity: restrictedEntity('payments-api-readonly'),
      authorize: AuthorizeResult.DENY,
    });
    const rollback = await screen.findByRole('button', {
      name: 'Roll back Production',
    });
    expect(rollback).toBeDisabled();
    expect(
      screen.getByText(
        'You are not allowed to roll back this service in Production.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Promote staging to prod' }),
    ).toBeDisabled();
  });
});
