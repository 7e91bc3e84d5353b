import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  PromotionPreview,
  PromotionRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { PromotionRequests } from './PromotionRequests';
import {
  entityRef,
  mockEcsDeployApi,
  promotionPreview,
  responseError,
  td,
} from '../../__testUtils__/fixtures';
import { renderEcs } from '../../__testUtils__/render';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const paths = [{ from: 'staging', to: 'prod' }];
const titles = (env: string) => (env === 'prod' ? 'Production' : 'Staging');

const gated: PromotionPreview = {
  ...promotionPreview,
  allowed: false,
  blockers: [{ code: 'approval-required', message: 'needs an approval' }],
  approval: { required: true, canRequest: true, requestBlockers: [] },
};

const pending: PromotionRequest = {
  id: '0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11',
  entityRef,
  from: 'staging',
  to: 'prod',
  images: [
    {
      container: 'app',
      image: 'ghcr.io/acme/payments-api:v1.5.0@sha256:abc',
      tag: 'v1.5.0',
      digest: 'sha256:abc',
    },
  ],
  sourceTaskDefinition: td('staging', 12).arn,
  targetTaskDefinition: td('prod', 7).arn,
  requester: ALICE,
  reason: 'release 1.5.0',
  state: 'pending',
  createdAt: '2026-11-30T10:00:00Z',
  expiresAt: '2026-12-01T10:00:00Z',
};

function renderAs(user: string, overrides: object = {}) {
  const api = mockEcsDeployApi({
    getPromotionPreview: jest.fn().mockResolvedValue(gated),
    ...overrides,
  });
  const onChanged = jest.fn();
  renderEcs(
    <PromotionRequests
      entityRef={entityRef}
      paths={paths}
      titles={titles}
      onChanged={onChanged}
    />,
    { api, identity: { userEntityRef: user } },
  );
  return { api, onChanged };
}

describe('PromotionRequests', () => {
  it('shows only the paths that need an approval', async () => {
    // Two paths answered in one go: once the gated one shows, the other's answer is in too.
    const api = mockEcsDeployApi({
      getPromotionPreview: jest.fn(
        async (_ref: string, path: { from: string; to: string }) =>
          path.to === 'prod'
            ? gated
            : { ...promotionPreview, from: 'prod', to: 'dr' },
      ),
    });
    renderEcs(
      <PromotionRequests
        entityRef={entityRef}
        paths={[...paths, { from: 'prod', to: 'dr' }]}
      />,
      { api },
    );
    expect(
      await screen.findByRole('group', { name: 'staging → prod' }),
    ).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledWith(entityRef, {
      from: 'prod',
      to: 'dr',
    });
    expect(
      screen.queryByRole('group', { name: 'prod → dr' }),
    ).not.toBeInTheDocument();
  });

  it('requests a promotion with a required reason, against the prod the user saw', async () => {
    const { api, onChanged } = renderAs(ALICE, {
      requestPromotion: jest.fn().mockResolvedValue(pending),
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Request promotion to Production',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request the promotion Staging → Production',
    });
    expect(dialog).toHaveTextContent('app: ');
    const confirm = within(dialog).getByRole('button', {
      name: 'Request promotion',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'release 1.5.0',
    );
    await userEvent.click(confirm);
    expect(api.requestPromotion).toHaveBeenCalledWith(entityRef, {
      from: 'staging',
      to: 'prod',
      reason: 'release 1.5.0',
      expectedTargetTaskDefinition: td('prod', 7).arn,
    });
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api.getPromotionRequests).toHaveBeenCalledTimes(2);
  });

  it('says why the user may not request', async () => {
    renderAs(ALICE, {
      getPromotionPreview: jest.fn().mockResolvedValue({
        ...gated,
        approval: {
          ...gated.approval,
          canRequest: false,
          requestBlockers: [
            {
              code: 'already-running',
              message: 'prod already runs staging’s images',
            },
          ],
        },
      }),
    });
    expect(
      await screen.findByRole('button', {
        name: 'Request promotion to Production',
      }),
    ).toBeDisabled();
    expect(
      screen.getByText('prod already runs staging’s images'),
    ).toBeInTheDocument();
  });

  it('lets another owner approve the pending request', async () => {
    const { api } = renderAs(BOB, {
      getPromotionRequests: jest
        .fn()
        .mockResolvedValue({ items: [{ ...pending, canDecide: true }] }),
      approvePromotionRequest: jest
        .fn()
        .mockResolvedValue({ request: { ...pending, state: 'approved' } }),
    });
    const group = await screen.findByRole('group', {
      name: 'Staging → Production',
    });
    expect(
      await within(group).findByText('Waiting for approval'),
    ).toBeInTheDocument();
    expect(group).toHaveTextContent(
      /alice asked .* for app: v1\.5\.0 \(release 1\.5\.0\)/,
    );
    await userEvent.click(
      within(group).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: "Approve alice's promotion Staging → Production",
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve and promote' }),
    );
    expect(api.approvePromotionRequest).toHaveBeenCalledWith(
      entityRef,
      pending.id,
      { reason: undefined },
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows the refusal and keeps the dialog open', async () => {
    renderAs(BOB, {
      getPromotionRequests: jest
        .fn()
        .mockResolvedValue({ items: [{ ...pending, canDecide: true }] }),
      approvePromotionRequest: jest
        .fn()
        .mockRejectedValue(
          await responseError(409, 'ConflictError', 'soak: 12 min left'),
        ),
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve and promote' }),
    );
    expect(await within(dialog).findByText('Refused')).toBeInTheDocument();
    expect(within(dialog).getByText('soak: 12 min left')).toBeInTheDocument();
  });

  it('offers the requester a withdrawal, never an approval', async () => {
    const { api } = renderAs(ALICE, {
      getPromotionRequests: jest
        .fn()
        .mockResolvedValue({ items: [{ ...pending, canDecide: false }] }),
      rejectPromotionRequest: jest
        .fn()
        .mockResolvedValue({ ...pending, state: 'withdrawn' }),
    });
    expect(
      await screen.findByText(/You requested it: another owner or an admin/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Withdraw request' }),
    );
    expect(api.rejectPromotionRequest).toHaveBeenCalledWith(
      entityRef,
      pending.id,
      { reason: undefined },
    );
  });
});
