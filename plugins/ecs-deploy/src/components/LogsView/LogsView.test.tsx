import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EnvironmentLogs,
  LogLine,
  LogsQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import {
  entityRef,
  mockEcsDeployApi,
  td,
  responseError,
  restrictedEntity,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';
import { TasksPanel } from '../EcsDeploymentsContent/TasksPanel';
import { LogsView } from './LogsView';
import { OpenLogsLink } from './OpenLogsLink';

const environments = [
  { name: 'staging', title: 'Staging' },
  { name: 'prod', title: 'Production' },
];

const line = (n: number, taskId = 'aaaa1111bbbb2222'): LogLine => ({
  id: `e${n}`,
  timestamp: new Date(Date.UTC(2026, 10, 30, 12, 0, n)).toISOString(),
  taskId,
  container: 'app',
  message: `GET /api/items ${n}`,
  stream: `ecs/app/${taskId}`,
});

const answer = (over: Partial<EnvironmentLogs> = {}): EnvironmentLogs => ({
  environment: 'prod',
  logGroup: '/ecs/prod/payments-api',
  lines: [],
  ...over,
});

const rows = () =>
  within(screen.getByRole('table', { name: /Logs of/ }))
    .getAllByRole('row')
    .slice(1)
    .map(r =>
      within(r)
        .getAllByRole('cell')
        .map(c => c.textContent),
    );

describe('LogsView', () => {
  it('shows the newest lines last, with their task, and loads older ones', async () => {
    const api = mockEcsDeployApi({
      getLogs: jest
        .fn()
        .mockImplementation(async (_ref: string, query: LogsQuery) =>
          query.nextToken
            ? answer({ lines: [line(1), line(2)] })
            : answer({ lines: [line(3), line(4)], nextToken: 'older' }),
        ),
    });
    renderEcs(<LogsView entityRef={entityRef} environments={environments} />, {
      api,
    });
    await screen.findByRole('table', { name: 'Logs of Staging' });
    expect(rows().map(r => r.slice(1))).toEqual([
      ['aaaa1111', 'app', 'GET /api/items 3'],
      ['aaaa1111', 'app', 'GET /api/items 4'],
    ]);
    expect(
      screen.getAllByRole('link', { name: 'aaaa1111' })[0],
    ).toHaveAttribute(
      'href',
      expect.stringContaining('ecsTask=staging%3Aaaaa1111bbbb2222'),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows().map(r => r[3])).toEqual([
      'GET /api/items 1',
      'GET /api/items 2',
      'GET /api/items 3',
      'GET /api/items 4',
    ]);
    expect(api.getLogs).toHaveBeenLastCalledWith(entityRef, {
      environment: 'staging',
      nextToken: 'older',
    });
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('applies a CloudWatch filter pattern and says when nothing matches', async () => {
    const api = mockEcsDeployApi();
    renderEcs(<LogsView entityRef={entityRef} environments={environments} />, {
      api,
    });
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Filter pattern' }),
      '?ERROR ?WARN{enter}',
    );
    expect(
      await screen.findByText(/No log lines match \?ERROR \?WARN/),
    ).toBeInTheDocument();
    expect(api.getLogs).toHaveBeenLastCalledWith(entityRef, {
      environment: 'staging',
      filter: '?ERROR ?WARN',
    });
  });

  it('follows: appends the lines newer than the newest one shown', async () => {
    let newer = false;
    const api = mockEcsDeployApi({
      getLogs: jest
        .fn()
        .mockImplementation(async (_ref: string, query: LogsQuery) => {
          if (!query.since) return answer({ lines: [line(1)] });
          return answer({ lines: newer ? [line(1), line(2)] : [line(1)] });
        }),
    });
    renderEcs(
      <LogsView
        entityRef={entityRef}
        environments={environments.slice(1)}
        followIntervalMs={50}
      />,
      { api },
    );
    await screen.findByRole('table', { name: 'Logs of Production' });
    // One environment: no picker.
    expect(screen.queryByRole('button', { name: /Environment/ })).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Follow' }));
    await waitFor(() =>
      expect(api.getLogs).toHaveBeenCalledWith(entityRef, {
        environment: 'prod',
        since: line(1).timestamp,
      }),
    );
    newer = true;
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[1][3]).toBe('GET /api/items 2');
  });

  it('explains an environment without logs', async () => {
    const api = mockEcsDeployApi({
      getLogs: jest.fn().mockImplementation(async () =>
        answer({
          error: {
            name: 'LogGroupNotFound',
            message: 'Log group /ecs/prod/payments-api does not exist in prod',
          },
        }),
      ),
    });
    renderEcs(
      <LogsView entityRef={entityRef} environments={environments.slice(1)} />,
      { api },
    );
    expect(
      await screen.findByText('No logs from Production'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Log group /ecs/prod/payments-api does not exist in prod',
      ),
    ).toBeInTheDocument();
  });

  it('explains why a user who may not read the logs sees none', async () => {
    const api = mockEcsDeployApi();
    const other = restrictedEntity('payments-api-logs');
    renderEcs(
      <LogsView
        entityRef={`component:default/${other.metadata.name}`}
        environments={environments}
      />,
      { api, entity: other, authorize: AuthorizeResult.DENY },
    );
    expect(
      await screen.findByText('You may not read the logs of Staging'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/only the owners of this entity/),
    ).toBeInTheDocument();
    expect(api.getLogs).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal when it denies the read", async () => {
    const api = mockEcsDeployApi({
      getLogs: jest.fn().mockImplementation(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Only the owners of payments-api and admins may read its logs',
        );
      }),
    });
    renderEcs(<LogsView entityRef={entityRef} environments={environments} />, {
      api,
    });
    expect(
      await screen.findByText('You may not read the logs of Staging'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Only the owners of payments-api and admins may read its logs/,
      ),
    ).toBeInTheDocument();
  });

  it('reads the tasks of one revision, or one task, picked from the running and recent tasks', async () => {
    const task = (id: string, revision: number) => ({
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/demo-staging/${id}`,
      taskId: id,
      lastStatus: 'RUNNING',
      taskDefinition: td('staging', revision),
      containers: [],
    });
    const api = mockEcsDeployApi({
      getEnvironmentTasks: jest.fn().mockResolvedValue({
        environment: 'staging',
        tasks: [task('1111aaaa2222', 11), task('3333bbbb4444', 12)],
      }),
    });
    renderEcs(<LogsView entityRef={entityRef} environments={environments} />, {
      api,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: /Revision All revisions/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '12' }));
    await waitFor(() =>
      expect(api.getLogs).toHaveBeenLastCalledWith(entityRef, {
        environment: 'staging',
        revision: 12,
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: /Task All tasks/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', {
        name: /^1111aaaa · running · rev 11/,
      }),
    );
    await waitFor(() =>
      expect(api.getLogs).toHaveBeenLastCalledWith(entityRef, {
        environment: 'staging',
        taskId: '1111aaaa2222',
      }),
    );
  });

  it("shows a line's task in the environment's task list", async () => {
    const api = mockEcsDeployApi({
      getLogs: jest
        .fn()
        .mockImplementation(async () => answer({ lines: [line(1)] })),
      getEnvironmentTasks: jest.fn().mockImplementation(async () => ({
        environment: 'prod',
        tasks: [
          {
            taskArn:
              'arn:aws:ecs:us-east-1:123456789012:task/demo-prod/aaaa1111bbbb2222',
            taskId: 'aaaa1111bbbb2222',
            lastStatus: 'RUNNING',
            taskDefinition: td('prod', 7),
            containers: [],
          },
        ],
      })),
    });
    renderEcs(
      <>
        <LogsView entityRef={entityRef} environments={environments.slice(1)} />
        <TasksPanel
          entityRef={entityRef}
          environment="prod"
          environmentTitle="Production"
        />
      </>,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('link', { name: 'aaaa1111' }),
    );
    expect(
      await screen.findByText('aaaa1111bbbb2222 (linked)'),
    ).toBeInTheDocument();
  });

  it("opens the failing tasks' logs from a problem's link", async () => {
    const api = mockEcsDeployApi();
    renderEcs(
      <>
        <OpenLogsLink
          environment="prod"
          problem={{
            code: 'health-check-failing',
            severity: 'error',
            message: 'Task failed container health checks',
            fix: 'Read the logs',
            taskIds: ['t1', 't2'],
          }}
        />
        <LogsView entityRef={entityRef} environments={environments} />
      </>,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('link', {
        name: 'Open the logs of the 2 failing tasks',
      }),
    );
    await waitFor(() =>
      expect(api.getLogs).toHaveBeenLastCalledWith(entityRef, {
        environment: 'prod',
        taskId: 't1,t2',
      }),
    );
    expect(screen.getByRole('button', { name: /Task/ })).toHaveTextContent(
      '2 selected tasks',
    );
  });
});
