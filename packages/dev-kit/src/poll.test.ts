import { eventually } from './poll.ts';

describe('eventually', () => {
  it('returns the first truthy value, calling again after a falsy value or an error', async () => {
    let calls = 0;
    const value = await eventually(
      'the third call',
      () => {
        calls++;
        if (calls === 1) throw new Error('not listening');
        return calls === 3 ? 'ready' : false;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('names what it waited for and the last error when time is up', async () => {
    await expect(
      eventually(
        'the answer',
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/waiting for the answer; last error: connection refused/);
  });
});
