import { createEcsReadBudget, ECS_READ_RATES } from './ecsRateLimit';

const WHERE = '111111111111|eu-west-1';
const ACTION = 'DescribeTaskDefinition';
const PER_SECOND = ECS_READ_RATES['task-definition-read'].perSecond;

describe('the ECS read budget', () => {
  it('serves an urgent caller before the others waiting on this replica', async () => {
    // 2 points per one-second window.
    const budget = createEcsReadBudget({ share: 2 / PER_SECOND });
    const done: string[] = [];
    const take = (label: string, urgent?: boolean) =>
      budget.take(WHERE, ACTION, urgent).then(() => done.push(label));
    await Promise.all([take('first'), take('second')]);
    const waiting = [take('a'), take('b'), take('c')];
    // Let a, b and c queue before the urgent caller comes.
    await new Promise(resolve => setTimeout(resolve, 50));
    await Promise.all([...waiting, take('urgent', true)]);
    expect(done.slice(0, 3)).toEqual(['first', 'second', 'urgent']);
    expect(done.slice(3).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the reserve for urgent callers: they pass while the rest of the window is spent', async () => {
    // 20 points a second: 16 for everyone, 4 kept for urgent callers.
    const budget = createEcsReadBudget({
      share: 1,
      reserve: { 'task-definition-read': 0.2 },
    });
    const done: string[] = [];
    const take = (label: string, urgent?: boolean) =>
      budget.take(WHERE, ACTION, urgent).then(() => done.push(label));
    await Promise.all(
      Array.from({ length: PER_SECOND * 0.8 }, (_, i) => take(`other-${i}`)),
    );
    const late = take('late');
    await Promise.all(
      Array.from({ length: PER_SECOND * 0.2 }, (_, i) =>
        take(`urgent-${i}`, true),
      ),
    );
    expect(done).not.toContain('late');
    await late;
    expect(done.slice(-5)).toEqual([
      'urgent-0',
      'urgent-1',
      'urgent-2',
      'urgent-3',
      'late',
    ]);
  });

  it('lets urgent callers use the rest of the share when the reserve is spent', async () => {
    const budget = createEcsReadBudget({
      share: 1,
      reserve: { 'task-definition-read': 0.2 },
    });
    const done: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: PER_SECOND }, () =>
        budget.take(WHERE, ACTION, true).then(() => done.push(Date.now())),
      ),
    );
    // All 20 in the first window: 4 from the urgent part, 16 from the rest.
    expect(done.filter(t => t < started + 1000)).toHaveLength(PER_SECOND);
  });

  it('passes actions outside the table at once', async () => {
    const budget = createEcsReadBudget({ share: 0.01 });
    await expect(budget.take(WHERE, 'UpdateService')).resolves.toBeUndefined();
    await expect(
      budget.take(WHERE, 'UpdateService', true),
    ).resolves.toBeUndefined();
  });
});
