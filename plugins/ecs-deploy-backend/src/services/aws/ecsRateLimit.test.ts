import {
  burstWindows,
  createEcsReadBudget,
  ECS_READ_RATES,
} from './ecsRateLimit';

/** Lets every take that needs no wait settle (the memory limiter answers in promise jobs). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
};

describe('burstWindows', () => {
  it.each([0.25, 0.5, 0.75, 1])(
    'keeps every ECS read category within its share %s of the token bucket',
    share => {
      for (const { perSecond, burst } of Object.values(ECS_READ_RATES)) {
        const rate = perSecond * share;
        const capacity = burst * share;
        const { steady, extra } = burstWindows(rate, capacity);
        const extraPoints = extra?.points ?? 0;
        const extraSeconds = extra?.duration ?? 1;
        // Worst case over any span: two windows of each kind meet at its edges.
        expect(2 * steady.points + 2 * extraPoints).toBeLessThanOrEqual(
          capacity,
        );
        expect(
          steady.points / steady.duration + extraPoints / extraSeconds,
        ).toBeLessThanOrEqual(rate);
      }
    },
  );
});

describe('createEcsReadBudget', () => {
  it('lets a burst of reads within the share of ECS burst through at once, and makes the next wait', async () => {
    const budget = createEcsReadBudget({ share: 0.75 });
    const { steady, extra } = burstWindows(15, 75);
    const allowance = steady.points + extra!.points;
    // Ten entity pages at once read 20 services: more than a second's steady points.
    expect(allowance).toBeGreaterThan(20);
    const settled: number[] = [];
    const takes = Array.from({ length: allowance + 1 }, (_, i) =>
      budget.take('main|us-east-1', 'DescribeServices').then(() => {
        settled.push(i);
      }),
    );
    await settle();
    expect(settled).toHaveLength(allowance);
    // Another category has its own bucket.
    const other = budget.take('main|us-east-1', 'DescribeTaskDefinition');
    await settle();
    await expect(Promise.race([other, 'waiting'])).resolves.toBeUndefined();
    await Promise.all(takes);
    expect(settled).toHaveLength(allowance + 1);
  });
});
