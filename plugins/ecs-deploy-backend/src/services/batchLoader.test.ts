import { createBatchLoader } from './batchLoader';

/** A batch function whose calls the test answers by hand. */
function heldBatches() {
  const calls: Array<{ keys: string[]; answer: () => void }> = [];
  const batch = (keys: readonly string[]) =>
    new Promise<string[]>(resolve =>
      calls.push({
        keys: [...keys],
        answer: () => resolve(keys.map(k => `v:${k}`)),
      }),
    );
  return { calls, batch };
}

const tick = () => new Promise(r => setImmediate(r));

describe('createBatchLoader with maxInFlight', () => {
  it('sends a lone read at once, and batches only what queues while calls are in flight', async () => {
    const { calls, batch } = heldBatches();
    const loader = createBatchLoader(batch, {
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    const first = loader.load('a');
    await tick();
    expect(calls.map(c => c.keys)).toEqual([['a']]); // no window: out before anything else came
    // While 'a' is in flight (the cap is 1), later reads wait and join one batch.
    const later = [loader.load('b'), loader.load('c')];
    await tick();
    const fourth = loader.load('d');
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].answer();
    expect(await first).toBe('v:a');
    await tick();
    expect(calls.map(c => c.keys)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1].answer();
    expect(await Promise.all([...later, fourth])).toEqual([
      'v:b',
      'v:c',
      'v:d',
    ]);
  });

  it('joins identical keys in flight and reads them again once settled (no memo)', async () => {
    const { calls, batch } = heldBatches();
    const loader = createBatchLoader(batch, {
      maxBatchSize: 10,
      maxInFlight: 4,
    });
    const [x, y] = [loader.load('k'), loader.load('k')];
    await tick();
    expect(calls.map(c => c.keys)).toEqual([['k']]);
    calls[0].answer();
    expect(await Promise.all([x, y])).toEqual(['v:k', 'v:k']);
    const again = loader.load('k');
    await tick();
    expect(calls).toHaveLength(2);
    calls[1].answer();
    expect(await again).toBe('v:k');
  });

  it('sends up to maxInFlight batches at once, each of at most maxBatchSize keys', async () => {
    const { calls, batch } = heldBatches();
    const loader = createBatchLoader(batch, {
      maxBatchSize: 2,
      maxInFlight: 2,
    });
    const all = ['a', 'b', 'c', 'd', 'e'].map(k => loader.load(k));
    await tick();
    expect(calls.map(c => c.keys)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    calls[0].answer();
    await tick();
    expect(calls.map(c => c.keys)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    calls.slice(1).forEach(c => c.answer());
    expect(await Promise.all(all)).toEqual(['v:a', 'v:b', 'v:c', 'v:d', 'v:e']);
  });

  it('gives the slot of a batch of joined keys back (no call made), so later reads are still sent', async () => {
    const { calls, batch } = heldBatches();
    const loader = createBatchLoader(batch, {
      maxBatchSize: 10,
      maxInFlight: 2,
    });
    // 'k' in flight; asked for again in later ticks (a second event of the same service): each
    // of those batches holds only the joined 'k' and calls nothing.
    const first = loader.load('k');
    await tick();
    const joined = [];
    for (let i = 0; i < 3; i++) {
      joined.push(loader.load('k'));
      await tick();
    }
    expect(calls.map(c => c.keys)).toEqual([['k']]);
    calls[0].answer();
    expect(await Promise.all([first, ...joined])).toEqual(
      Array(4).fill('v:k'),
    );
    // Nothing is in flight now: two reads go out at once, as before any joining.
    const [a, b] = [loader.load('a'), loader.load('b')];
    await tick();
    expect(calls.slice(1).map(c => c.keys)).toEqual([['a', 'b']]);
    calls[1].answer();
    expect(await Promise.all([a, b])).toEqual(['v:a', 'v:b']);
    const c = loader.load('c');
    await tick();
    expect(calls.slice(2).map(x => x.keys)).toEqual([['c']]);
    calls[2].answer();
    expect(await c).toBe('v:c');
  });

  it('takes in the keys asked for while a batch waits for beforeDispatch (a budget point)', async () => {
    const { calls, batch } = heldBatches();
    const points: Array<() => void> = [];
    const loader = createBatchLoader(batch, {
      maxBatchSize: 3,
      maxInFlight: 8,
      beforeDispatch: () => new Promise<void>(resolve => points.push(resolve)),
    });
    const reads = ['a', 'b', 'c', 'd'].map(key => loader.load(key));
    await tick();
    const late = loader.load('e');
    await tick();
    expect(calls).toHaveLength(0); // nothing sent without its point
    points.shift()!();
    await tick();
    expect(calls.map(c => c.keys)).toEqual([['a', 'b', 'c']]);
    points.shift()!();
    await tick();
    expect(calls.map(c => c.keys)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    calls.forEach(c => c.answer());
    expect(await Promise.all([...reads, late])).toEqual([
      'v:a',
      'v:b',
      'v:c',
      'v:d',
      'v:e',
    ]);
  });
});
