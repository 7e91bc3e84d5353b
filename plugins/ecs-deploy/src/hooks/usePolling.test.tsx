import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider, mockApis } from '@backstage/frontend-test-utils';
import { ecsDeployApiRef } from '../api';
import { useEntityDeploymentStatus } from './useEcsDeployData';
import { entityRef, mockEcsDeployApi } from '../__testUtils__/fixtures';

let visibility: DocumentVisibilityState = 'visible';

function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

function setup(config: object = {}) {
  const api = mockEcsDeployApi();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[[ecsDeployApiRef, api], mockApis.config({ data: config })]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(() => useEntityDeploymentStatus(entityRef), {
    wrapper,
  });
  return { api, hook };
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('polling hooks', () => {
  beforeAll(() => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => visibility,
    });
  });
  afterAll(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
  });
  beforeEach(() => {
    visibility = 'visible';
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('polls at the configured interval while the page is visible', async () => {
    const { api, hook } = setup({
      ecsDeploy: { frontend: { pollIntervalSeconds: 5 } },
    });
    await waitFor(() => expect(hook.result.current.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
    // waitFor advances fake time a little; leave it some slack.
    await advance(4800);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
    await advance(200);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(2);
    await advance(5000);
    await advance(5000);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(4);
  });

  it('defaults to 15 seconds', async () => {
    const { api, hook } = setup();
    await waitFor(() => expect(hook.result.current.value).toBeDefined());
    await advance(14800);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
    await advance(200);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(2);
  });

  it('pauses in background tabs and refreshes at once when visible again', async () => {
    const { api, hook } = setup({
      ecsDeploy: { frontend: { pollIntervalSeconds: 5 } },
    });
    await waitFor(() => expect(hook.result.current.value).toBeDefined());
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);

    await act(async () => setVisibility('hidden'));
    await advance(60000);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);

    await act(async () => setVisibility('visible'));
    expect(api.getEntityStatus).toHaveBeenCalledTimes(2);
    await advance(5000);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(3);
  });

  it('stops polling on unmount', async () => {
    const { api, hook } = setup({
      ecsDeploy: { frontend: { pollIntervalSeconds: 5 } },
    });
    await waitFor(() => expect(hook.result.current.value).toBeDefined());
    hook.unmount();
    await advance(30000);
    expect(api.getEntityStatus).toHaveBeenCalledTimes(1);
  });
});
