import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Verification } from '@deployment-portal/plugin-ecs-deploy-common';
import { Verifications } from './Verifications';
import {
  entityRef,
  mockEcsDeployApi,
  responseError,
  td,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const titles = (env: string) => (env === 'prod' ? 'Production' : 'Staging');

const base: Verification = {
  id: '6f1d3c2a-0b4e-4c1a-9e2f-1a2b3c4d5e6f',
  entityRef,
  environment: 'prod',
  targetService: {
    environment: 'prod',
    region: 'us-east-1',
    cluster: 'demo-prod',
    serviceName: 'payments-api',
  },
  taskDefinition: td('prod', 8).arn,
  trigger: 'promotion',
  requestedBy: 'user:default/alice',
  status: 'held',
  message:
    'Inconclusive: HTTP check: GET https://payments-api.example.com/health: ECONNREFUSED',
  checks: [
    {
      kind: 'alarm',
      name: 'payments-api-prod-http-5xx-rate',
      status: 'passed',
      value: 0,
      threshold: 0,
      measurements: 6,
      failures: 0,
      inconclusive: 0,
      successes: 0,
    },
    {
      kind: 'http',
      name: 'https://payments-api.example.com/health',
      status: 'inconclusive',
      measurements: 3,
      failures: 0,
      inconclusive: 3,
      successes: 0,
    },
    {
      kind: 'metric',
      name: 'p95 latency',
      status: 'passed',
      value: 47.4,
      threshold: 500,
      unit: 'ms',
      measurements: 1,
      failures: 0,
      inconclusive: 0,
      successes: 0,
    },
  ],
  createdAt: '2026-12-07T03:00:00Z',
  canResolve: true,
};

function render(items: Verification[], overrides: object = {}) {
  const api = mockEcsDeployApi({
    getVerifications: jest.fn().mockResolvedValue({ items, canReverify: true }),
    ...overrides,
  });
  const onChanged = jest.fn();
  renderEcs(
    <Verifications
      entityRef={entityRef}
      titles={titles}
      onChanged={onChanged}
    />,
    { api },
  );
  return { api, onChanged };
}

describe('Verifications', () => {
  it('shows the newest verification per environment with each check and its measured value', async () => {
    const older: Verification = {
      ...base,
      id: '00000000-0000-4000-8000-000000000001',
      status: 'verified',
      message: 'Every check passed: older',
      canResolve: false,
    };
    const staging: Verification = {
      ...base,
      id: '00000000-0000-4000-8000-000000000002',
      environment: 'staging',
      trigger: 'deployment',
      status: 'failed',
      message:
        'Alarm payments-api-staging-http-5xx-rate is in ALARM: Threshold Crossed',
      checks: [],
      canResolve: false,
    };
    render([base, staging, older]);
    const prod = await screen.findByRole('group', { name: 'Production' });
    expect(prod).toHaveTextContent('Inconclusive: held for an owner');
    expect(prod).toHaveTextContent('ECONNREFUSED');
    expect(prod).not.toHaveTextContent('older');
    const checks = within(prod)
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(checks).toEqual([
      'alarm payments-api-prod-http-5xx-rate: passed, 0 (threshold 0)',
      'http https://payments-api.example.com/health: inconclusive',
      'metric p95 latency: passed, 47.4 ms (threshold 500)',
    ]);
    const stagingGroup = screen.getByRole('group', { name: 'Staging' });
    expect(stagingGroup).toHaveTextContent(
      'Failed: payments-api-prod:8, started',
    );
    expect(
      within(stagingGroup).queryByRole('button', { name: 'Continue' }),
    ).not.toBeInTheDocument();
  });

  it('renders nothing before the first verification', async () => {
    const { api } = render([]);
    await waitFor(() => expect(api.getVerifications).toHaveBeenCalled());
    expect(screen.queryByText('Verification')).not.toBeInTheDocument();
  });

  it('lets an owner continue a held verification with a reason', async () => {
    const { api, onChanged } = render([base], {
      resolveVerification: jest
        .fn()
        .mockResolvedValue({ ...base, status: 'continued' }),
    });
    const prod = await screen.findByRole('group', { name: 'Production' });
    await userEvent.click(
      within(prod).getByRole('button', { name: 'Continue' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Continue the verification in Production',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'dashboards look fine',
    );
    await userEvent.click(
      within(dialog).getByRole('button', {
        name: 'Continue: keep this revision',
      }),
    );
    expect(api.resolveVerification).toHaveBeenCalledWith(
      entityRef,
      base.id,
      'continue',
      { reason: 'dashboards look fine' },
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('says why the backend refused an abort and keeps the dialog open', async () => {
    render([base], {
      resolveVerification: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            `Verification ${base.id} is continued, not held`,
          ),
        ),
    });
    const prod = await screen.findByRole('group', { name: 'Production' });
    await userEvent.click(within(prod).getByRole('button', { name: 'Abort' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Abort the verification in Production',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Abort: roll back' }),
    );
    expect(
      await within(dialog).findByText(/is continued, not held/),
    ).toBeInTheDocument();
  });

  it('offers no decision to someone who may not decide', async () => {
    render([{ ...base, canResolve: false }]);
    const prod = await screen.findByRole('group', { name: 'Production' });
    expect(
      within(prod).queryByRole('button', { name: 'Continue' }),
    ).not.toBeInTheDocument();
    expect(
      within(prod).queryByRole('button', { name: 'Abort' }),
    ).not.toBeInTheDocument();
  });
});
