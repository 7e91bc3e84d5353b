import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  AuditRecord,
  EntityDeploymentStatus,
  PromotionPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { DeploymentPipeline } from './DeploymentPipeline';
import {
  auditRecord,
  entityRef,
  entityStatus,
  envStatus,
  info,
  mockEcsDeployApi,
  prodRollingOut,
  promotionPreview,
  td,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

function render(
  status: EntityDeploymentStatus,
  options: {
    preview?: Partial<PromotionPreview>;
    history?: AuditRecord[];
  } = {},
) {
  const api = mockEcsDeployApi({
    getPromotionPreview: jest
      .fn()
      .mockResolvedValue({ ...promotionPreview, ...options.preview }),
  });
  renderEcs(
    <DeploymentPipeline
      entityRef={entityRef}
      status={status}
      info={info}
      history={options.history}
      approvers="team-payments"
    />,
    { api },
  );
  return api;
}

const stage = (name: string) => screen.findByRole('region', { name });
const arrow = () =>
  screen.findByRole('group', {
    name: 'Promotion from Staging to Production',
  });
const promote = (group: HTMLElement) =>
  within(group).getByRole('button', { name: 'Promote staging to prod' });

describe('DeploymentPipeline', () => {
  it('shows the stages in configured order with the promotion between them', async () => {
    // The status lists prod first; /info says staging comes first.
    render(entityStatus([envStatus('prod'), envStatus('staging')]));
    await stage('Production');
    const order = screen
      .getAllByRole('region')
      .map(r => r.getAttribute('aria-labelledby'))
      .filter(id => id?.startsWith('ecs-stage-'));
    expect(order).toEqual(['ecs-stage-staging', 'ecs-stage-prod']);
    const prod = await stage('Production');
    expect(within(prod).getByText('Healthy')).toBeInTheDocument();
    expect(within(prod).getByText('payments-api-prod:7')).toBeInTheDocument();
    expect(within(prod).getByText('2 of 2 running')).toBeInTheDocument();
    expect(
      within(prod).getByText('Rollout of payments-api-prod:7 complete'),
    ).toBeInTheDocument();
    expect(
      within(prod).getByRole('link', { name: /CloudWatch logs \(prod\)/ }),
    ).toHaveAttribute('href', 'https://logs.example.com/prod');
  });

  it('behind: offers Promote with what would change, and highlights the differing images', async () => {
    const api = render(entityStatus());
    const group = await arrow();
    expect(
      within(group).getByText('Production is behind Staging'),
    ).toBeInTheDocument();
    expect(within(group).getByText('app: v1.4.0 → v1.5.0')).toBeInTheDocument();
    expect(promote(group)).toBeEnabled();
    const prod = await stage('Production');
    expect(
      within(prod).getByText('differs from Staging (v1.5.0)'),
    ).toBeInTheDocument();
    expect(
      within(await stage('Staging')).getByText(
        'differs from Production (v1.4.0)',
      ),
    ).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledWith(entityRef, {
      from: 'staging',
      to: 'prod',
    });
  });

  it('shows the tag with the full reference and digest on hover', async () => {
    render(entityStatus());
    const prod = await stage('Production');
    await userEvent.hover(within(prod).getByText('v1.4.0'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:v1.4.0 (sha256:aaaa1111222233334444)',
    );
  });

  it('level: says prod already runs staging’s images and disables Promote', async () => {
    render(
      entityStatus([
        envStatus('staging'),
        envStatus('prod', { service: envStatus('staging').service }),
      ]),
      {
        preview: {
          blockers: [
            { code: 'already-running', message: 'prod already runs v1.5.0' },
          ],
          allowed: false,
        },
      },
    );
    const group = await arrow();
    expect(within(group).getByText('Production is up to date')).toBeVisible();
    expect(
      within(group).getByText("prod already runs staging's images."),
    ).toBeInTheDocument();
    expect(promote(group)).toBeDisabled();
    expect(screen.queryByText(/^differs from/)).not.toBeInTheDocument();
  });

  it('not deployed: says so in the stage and on the arrow', async () => {
    render(
      entityStatus([
        envStatus('staging'),
        envStatus('prod', {
          health: 'not-deployed',
          service: undefined,
          links: { logs: [] },
        }),
      ]),
    );
    const prod = await stage('Production');
    expect(within(prod).getByText('Not deployed')).toBeInTheDocument();
    expect(
      within(prod).getByText(
        'Not deployed: no service payments-api in cluster demo-prod.',
      ),
    ).toBeInTheDocument();
    const group = await arrow();
    expect(within(group).getByText('Nothing to promote')).toBeInTheDocument();
    expect(
      within(group).getByText('prod is not deployed: nothing to promote.'),
    ).toBeInTheDocument();
    expect(promote(group)).toBeDisabled();
  });

  it('shows the autoscaling bounds of an environment that autoscales, and none elsewhere', async () => {
    const prod = envStatus('prod');
    render(
      entityStatus([
        envStatus('staging'),
        {
          ...prod,
          service: {
            ...prod.service!,
            autoscaling: { minCapacity: 2, maxCapacity: 4, suspended: true },
          },
        },
      ]),
    );
    const prodStage = await stage('Production');
    expect(within(prodStage).getByText('Autoscaling')).toBeInTheDocument();
    expect(prodStage).toHaveTextContent('2–4 tasks (suspended)');
    const stagingStage = await stage('Staging');
    expect(within(stagingStage).queryByText('Autoscaling')).toBeNull();
  });

  it('progressing: a readable phrase and a progress bar instead of ECS’s raw reason', async () => {
    const status = prodRollingOut(
      8,
      'IN_PROGRESS',
      'ECS deployment ecs-svc/6686028745123 in progress.',
    );
    const prod = status.environments[1];
    prod.health = 'progressing';
    prod.service!.deployments[0].runningCount = 1;
    prod.service!.deployments[0].pendingCount = 1;
    render(status);
    const region = await stage('Production');
    expect(within(region).getByText('Progressing')).toBeInTheDocument();
    expect(
      within(region).getByText(
        'Rolling out payments-api-prod:8, replacing payments-api-prod:7: 1 of 2 new tasks running, 1 starting',
      ),
    ).toBeInTheDocument();
    expect(
      within(region).getByRole('progressbar', {
        name: 'Rollout progress in Production',
      }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(within(region).queryByText(/ecs-svc/)).not.toBeInTheDocument();
  });

  it('failed with a problem: the failure in words, the problem and its proposed fix', async () => {
    const staging = envStatus('staging', {
      health: 'failed',
      problems: [
        {
          code: 'image-pull-error',
          severity: 'error',
          message: 'CannotPullContainerError: payments-api:v1.5.1 not found',
          fix: 'Push the image tag or fix the image reference in the task definition.',
          taskIds: ['abc123'],
        },
      ],
    });
    staging.service!.rolloutState = 'FAILED';
    staging.service!.deployments[0].rolloutState = 'FAILED';
    staging.service!.deployments[0].rolloutStateReason =
      'ECS deployment circuit breaker: tasks failed to start.';
    render(entityStatus([staging, envStatus('prod')]));
    const region = await stage('Staging');
    expect(within(region).getByText('Failed')).toBeInTheDocument();
    expect(
      within(region).getByText(
        'Rollout of payments-api-staging:12 failed: circuit breaker: tasks failed to start',
      ),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(
        'CannotPullContainerError: payments-api:v1.5.1 not found',
      ),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(
        /Proposed fix: Push the image tag or fix the image reference/,
      ),
    ).toBeInTheDocument();
    // The failing task's logs open in the logs view of the tab.
    expect(
      within(region).getByRole('link', {
        name: 'Open the logs of the failing task',
      }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('logs=staging&logsTasks=abc123'),
    );
  });

  it('blocked by a guard: the soak time left, the approval awaited and the freeze window', async () => {
    render(entityStatus(), {
      preview: {
        allowed: false,
        blockers: [
          {
            code: 'soak-time',
            message: 'staging has run v1.5.0 for 48 of 60 minutes',
          },
          {
            code: 'request-pending',
            message: 'A promotion request is waiting for approval',
          },
          {
            code: 'freeze-window',
            message: "prod is frozen by 'year-end' until 2027-01-04",
          },
        ],
        soak: { minSourceAgeMinutes: 60, remainingMinutes: 12 },
        approval: {
          required: true,
          canRequest: false,
          requestBlockers: [],
          pending: {
            id: 'r1',
            entityRef,
            from: 'staging',
            to: 'prod',
            images: [],
            sourceTaskDefinition: td('staging', 12).arn,
            targetTaskDefinition: td('prod', 7).arn,
            requester: 'user:default/alice',
            reason: 'release 1.5.0',
            state: 'pending',
            createdAt: '2026-11-20T10:00:00Z',
            expiresAt: '2026-11-21T10:00:00Z',
          },
        },
      },
    });
    const group = await arrow();
    expect(
      await within(group).findByText('Promotion blocked'),
    ).toBeInTheDocument();
    expect(
      within(group).getByText(
        "soak: 12 min left awaiting approval by team-payments prod is frozen by 'year-end' until 2027-01-04",
      ),
    ).toBeInTheDocument();
    expect(promote(group)).toBeDisabled();
    // What a promotion would change is still shown.
    expect(within(group).getByText('app: v1.4.0 → v1.5.0')).toBeInTheDocument();
  });

  it('says when and by whom what runs was deployed, with the absolute time on hover', async () => {
    const at = new Date(Date.now() - 4 * 60_000 - 5_000).toISOString();
    const prod = envStatus('prod');
    prod.service!.lastDeploymentAt = at;
    render(entityStatus([envStatus('staging'), prod]), {
      history: [auditRecord({ createdAt: at })],
    });
    const region = await stage('Production');
    const time = within(region).getByText('4 minutes ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', at);
    expect(time.parentElement).toHaveTextContent(
      '4 minutes ago by alice (promotion from staging)',
    );
    await userEvent.hover(time);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      new Date(at).toLocaleString(),
    );
  });
});
