import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider, mockApis } from '@backstage/frontend-test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { EcsDeploySignal } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import {
  useDeploymentHistory,
  useEcsDeployInfo,
  useEntityDeploymentStatus,
  useTeamStatus,
} from './useEcsDeployData';
import { usePolledRead } from './usePolledRead';
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
  const subscribed = () =>
    [...listeners]
      .filter(([, set]) => set.size > 0)
      .map(([channel]) => channel);
  return { api, publish, subscribed };
}

function wrapperWith(withSignals: boolean) {
  const api = mockEcsDeployApi();
  const signals = fakeSignals();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [ecsDeployApiRef, api],
        // Polling effectively off: only signals and retries read again within a test.
        mockApis.config({
          data: { ecsDeploy: { frontend: { pollIntervalSeconds: 3600 } } },
        }),
        ...(withSignals ? [[signalApiRef, signals.api] as const] : []),
      ]}
    >
      {children}
    </TestApiProvider>
  );
  return { api, signals, wrapper };
}

function setup(withSignals: boolean) {
  const { api, signals, wrapper } = wrapperWith(withSignals);
  const hook = renderHook(
    () => ({
      status: useEntityDeploymentStatus(entityRef),
      history: useDeploymentHistory(entityRef),
      team: useTeamStatus('group:default/team-payments'),
      info: useEcsDeployInfo(),
    }),
    { wrapper },
  );
  return { api, hook, signals };
}

/** A promise settled by the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('usePolledRead', () => {
  it("refetches the entity's status and history, and its team's view, when the backend signals a change", async () => {
    const { api, hook, signals } = setup(true);
    await waitFor(() => expect(hook.result.current.status.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
    expect(api.getHistory).toHaveBeenCalledTimes(1);
    expect(api.getTeamStatus).toHaveBeenCalledTimes(1);
    // Reads without a signal (the environments) subscribe to nothing.
    expect(signals.subscribed().sort()).toEqual([
      'ecs-deploy:component:default:payments-api',
      'ecs-deploy:group:default:team-payments',
    ]);

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
    expect(api.getInfo).toHaveBeenCalledTimes(1);

    hook.unmount();
    expect(signals.subscribed()).toEqual([]);
  });

  it('works without the signals plugin (polling only)', async () => {
    const { api, hook } = setup(false);
    await waitFor(() => expect(hook.result.current.status.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
  });

  it('keeps the last answer when a refresh fails, says why, and clears the error on the next answer', async () => {
    const { wrapper } = wrapperWith(false);
    const read = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('first')
      .mockRejectedValueOnce(new Error('503 Service Unavailable'))
      .mockResolvedValueOnce('third');
    const hook = renderHook(() => usePolledRead(read, []), { wrapper });
    await waitFor(() => expect(hook.result.current.value).toBe('first'));

    act(() => hook.result.current.retry());
    await waitFor(() => expect(hook.result.current.loading).toBe(false));
    expect(hook.result.current.value).toBe('first');
    expect(hook.result.current.error?.message).toBe('503 Service Unavailable');

    act(() => hook.result.current.retry());
    await waitFor(() => expect(hook.result.current.value).toBe('third'));
    expect(hook.result.current.error).toBeUndefined();
  });

  it('counts only the latest read: an earlier answer arriving last is dropped', async () => {
    const { wrapper } = wrapperWith(false);
    const slow = deferred<string>();
    const fast = deferred<string>();
    const read = jest
      .fn<Promise<string>, []>()
      .mockReturnValueOnce(slow.promise)
      .mockReturnValueOnce(fast.promise);
    const hook = renderHook(() => usePolledRead(read, []), { wrapper });
    act(() => hook.result.current.retry());
    await act(async () => fast.resolve('new'));
    expect(hook.result.current.value).toBe('new');
    await act(async () => slow.resolve('old'));
    expect(hook.result.current.value).toBe('new');
    expect(hook.result.current.loading).toBe(false);
  });

  it('does not keep the answer of other inputs when the read of new ones fails', async () => {
    const { wrapper } = wrapperWith(false);
    const read = jest.fn(async (name: string) => {
      if (name === 'broken') throw new Error('404 broken not found');
      return `status of ${name}`;
    });
    const hook = renderHook(
      ({ name }) => usePolledRead(() => read(name), [name]),
      { wrapper, initialProps: { name: 'payments-api' } },
    );
    await waitFor(() =>
      expect(hook.result.current.value).toBe('status of payments-api'),
    );
    hook.rerender({ name: 'broken' });
    await waitFor(() =>
      expect(hook.result.current.error?.message).toBe('404 broken not found'),
    );
    expect(hook.result.current.value).toBeUndefined();
  });
});
