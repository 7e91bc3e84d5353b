import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider, mockApis } from '@backstage/frontend-test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { EcsDeploySignal } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import {
  useDeploymentHistory,
  useEntityDeploymentStatus,
  useTeamStatus,
} from './useEcsDeployData';
import { entityRef, mockEcsDeployApi } from '../__testUtils__/fixtures';

/** A signals API whose channels the test publishes on. */
function fakeSignals() {
  type Listener = (message: EcsDeploySignal) => void;
  const listeners = new Map<string, Set<Listener>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set<Listener>();
      const listener = onMessage as unknown as Listener;
      set.add(listener);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(listener) };
    },
  };
  const publish = (channel: string, message: EcsDeploySignal) =>
    act(() => listeners.get(channel)?.forEach(l => l(message)));
  return { api, publish, listeners };
}

function setup(withSignals: boolean) {
  const api = mockEcsDeployApi();
  const signals = fakeSignals();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [ecsDeployApiRef, api],
        // Polling effectively off: only signals refresh within the test.
        mockApis.config({
          data: { ecsDeploy: { frontend: { pollIntervalSeconds: 3600 } } },
        }),
        ...(withSignals ? [[signalApiRef, signals.api] as const] : []),
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(
    () => ({
      status: useEntityDeploymentStatus(entityRef),
      history: useDeploymentHistory(entityRef),
      team: useTeamStatus('group:default/team-payments'),
    }),
    { wrapper },
  );
  return { api, hook, signals };
}

describe('useDeploymentSignal in the data hooks', () => {
  it("refetches the entity's status and history, and its team's view, when the backend signals a change", async () => {
    const { api, hook, signals } = setup(true);
    await waitFor(() => expect(hook.result.current.status.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
    expect(api.getHistory).toHaveBeenCalledTimes(1);
    expect(api.getTeamStatus).toHaveBeenCalledTimes(1);

    const message: EcsDeploySignal = {
      entityRef,
      subject: 'promotion',
      state: 'rolled-out',
      id: 'a1',
    };
    await signals.publish('ecs-deploy:component:default:payments-api', message);
    await waitFor(() => expect(api.getEntityStatus).toHaveBeenCalledTimes(2));
    expect(api.getHistory).toHaveBeenCalledTimes(2);
    expect(api.getTeamStatus).toHaveBeenCalledTimes(1);

    await signals.publish('ecs-deploy:group:default:team-payments', {
      ...message,
    });
    await waitFor(() => expect(api.getTeamStatus).toHaveBeenCalledTimes(2));
    // Another entity's channel changes nothing here.
    await signals.publish('ecs-deploy:component:default:billing', message);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(2);
  });

  it('works without the signals plugin (polling only)', async () => {
    const { api, hook } = setup(false);
    await waitFor(() => expect(hook.result.current.status.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
  });
});
