import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeploymentProgress } from '@deployment-portal/plugin-ecs-deploy-common';
import { DeploymentPipeline } from './DeploymentPipeline';
import {
  entityRef,
  entityStatus,
  envStatus,
  info,
  mockEcsDeployApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const ARN =
  'arn:aws:ecs:us-east-1:123456789012:service-deployment/demo-prod/payments-api/abc';

function canary(overrides: Partial<DeploymentProgress> = {}) {
  return {
    serviceDeploymentArn: ARN,
    strategy: 'CANARY',
    status: 'IN_PROGRESS',
    lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
    trafficPercent: 20,
    steps: [
      { percent: 20, bakeMinutes: 30, state: 'current' },
      { percent: 100, bakeMinutes: 5, state: 'pending' },
    ],
    bake: {
      kind: 'step',
      minutes: 30,
      endsAt: new Date(Date.now() + 20.5 * 60_000).toISOString(),
    },
    waitingFor: 'bake',
    controllable: true,
    ...overrides,
  } as DeploymentProgress;
}

function render(
  progress: DeploymentProgress,
  controls = { canHold: true, canSkipBake: false },
) {
  const api = mockEcsDeployApi({
    getDeploymentControls: jest
      .fn()
      .mockImplementation(async (_ref, environment) => ({
        environment,
        ...controls,
      })),
    controlDeployment: jest.fn().mockResolvedValue({ environment: 'prod' }),
  });
  renderEcs(
    <DeploymentPipeline
      entityRef={entityRef}
      status={entityStatus([
        envStatus('staging'),
        envStatus('prod', { health: 'progressing', deployment: progress }),
      ])}
      info={info}
    />,
    { api },
  );
  return api;
}

const deployment = () =>
  screen.findByRole('group', {
    name: 'Deployment in progress in Production',
  });

/** When the test began (before its progress was made). */
let started = Date.now();
beforeEach(() => {
  started = Date.now();
});

/**
 * The bake's time left as shown, in seconds, checked against its end: at most what was left when
 * the test began, at least what is left now (a loaded machine may take seconds to render).
 */
function expectBakeLeft(group: HTMLElement, progress: DeploymentProgress) {
  const endsAt = Date.parse(progress.bake!.endsAt!);
  const match = /Baking \(this step\): (?:(\d+) min )?(\d+) s left/.exec(
    group.textContent ?? '',
  );
  expect(match).not.toBeNull();
  const shown = Number(match![1] ?? 0) * 60 + Number(match![2]);
  expect(shown).toBeLessThanOrEqual(Math.ceil((endsAt - started) / 1000));
  expect(shown).toBeGreaterThanOrEqual(Math.floor((endsAt - Date.now()) / 1000) - 1);
  return shown;
}

describe('DeploymentSteps', () => {
  it('shows the steps, the traffic share and the bake left, and holds the deployment', async () => {
    const progress = canary();
    const api = render(progress);
    const group = await deployment();
    expect(group).toHaveTextContent(
      'Canary deployment: 20 % of the traffic on the new revision',
    );
    expect(within(group).getByText('20 %, bake 30 min')).toBeInTheDocument();
    expect(within(group).getByText('100 %, bake 5 min')).toBeInTheDocument();
    expect(group).toHaveTextContent(/Baking \(this step\): 20 min \d+ s left/);
    expectBakeLeft(group, progress);
    // An owner may hold and abort, not skip the bake.
    expect(
      within(group).queryByRole('button', { name: 'Skip bake' }),
    ).not.toBeInTheDocument();
    await userEvent.type(within(group).getByLabelText('Reason'), 'p99 up');
    await userEvent.click(
      await within(group).findByRole('button', {
        name: 'Hold Production deployment',
      }),
    );
    expect(api.controlDeployment).toHaveBeenCalledWith(entityRef, 'hold', {
      environment: 'prod',
      expectedServiceDeployment: ARN,
      reason: 'p99 up',
    });
  });

  it('counts the last minute of a bake down in seconds', async () => {
    const progress = canary({
      bake: {
        kind: 'step',
        minutes: 30,
        endsAt: new Date(Date.now() + 45_500).toISOString(),
      },
    });
    render(progress);
    const group = await deployment();
    expect(group).toHaveTextContent(/Baking \(this step\): \d+ s left/);
    expectBakeLeft(group, progress);
  });

  it('shows the hold with its limit and continues it; a refusal is shown', async () => {
    const api = render(
      canary({
        bake: undefined,
        waitingFor: 'hold',
        hold: { by: 'user:default/alice', at: '2026-12-07T03:00:00Z' },
        holdExpiresAt: new Date(Date.now() + 50.5 * 60_000).toISOString(),
      }),
    );
    const group = await deployment();
    expect(group).toHaveTextContent(
      /Held by alice \(ECS rolls it back in 50 minutes unless continued\)/,
    );
    api.controlDeployment.mockRejectedValueOnce(
      await responseError(
        409,
        'ConflictError',
        'The deployment of payments-api is not held',
      ),
    );
    await userEvent.click(
      await within(group).findByRole('button', {
        name: 'Continue Production deployment',
      }),
    );
    expect(await within(group).findByText(/is not held/)).toBeInTheDocument();
    expect(api.controlDeployment).toHaveBeenCalledWith(entityRef, 'continue', {
      environment: 'prod',
      expectedServiceDeployment: ARN,
    });
  });

  it('lets an admin skip the bake with a reason only', async () => {
    const api = render(canary(), { canHold: true, canSkipBake: true });
    const group = await deployment();
    const skip = await within(group).findByRole('button', {
      name: 'Skip bake',
    });
    expect(skip).toBeDisabled();
    await userEvent.type(within(group).getByLabelText('Reason'), 'hotfix');
    await userEvent.click(skip);
    expect(api.controlDeployment).toHaveBeenCalledWith(entityRef, 'skip-bake', {
      environment: 'prod',
      expectedServiceDeployment: ARN,
      reason: 'hotfix',
    });
  });

  it('offers no control to someone who may not hold it', async () => {
    render(canary(), { canHold: false, canSkipBake: false });
    const group = await deployment();
    expect(group).toHaveTextContent('20 %, bake 30 min');
    expect(within(group).queryByRole('button')).not.toBeInTheDocument();
  });
});
