import {
  BACKGROUND_SHARE,
  createEcsReadBudget,
  ECS_READ_RATES,
  inBackground,
} from './ecsRateLimit';

const WHERE = '111111111111|eu-west-1';
/** The portal's points per one-second window for task-definition reads at share 1. */
const POINTS = ECS_READ_RATES['task-definition-read'].perSecond;
const BACKGROUND_POINTS = Math.floor(POINTS * BACKGROUND_SHARE);

describe('the ECS read budget', () => {
  it('serves a waiting viewer before the background pass that queued first', async () => {
    const budget = createEcsReadBudget({ share: 1 });
    const done: string[] = [];
    const background = Array.from({ length: POINTS }, (_, i) =>
      inBackground(() =>
        budget
          .take(WHERE, 'DescribeTaskDefinition')
          .then(() => done.push(`background-${i}`)),
      ),
    );
    const viewers = Array.from({ length: 5 }, (_, i) =>
      budget
        .take(WHERE, 'DescribeTaskDefinition')
        .then(() => done.push(`viewer-${i}`)),
    );
    await Promise.all(viewers);
    expect(done.filter(d => d.startsWith('background'))).toEqual([]);
    await Promise.all(background);
    expect(done).toHaveLength(POINTS + 5);
  });

  it('lets background reads take only their share of a window, all of it to the rest', async () => {
    const budget = createEcsReadBudget({ share: 1 });
    const started = Date.now();
    const at: number[] = [];
    const background = Array.from({ length: POINTS }, () =>
      inBackground(() =>
        budget
          .take(WHERE, 'DescribeTaskDefinition')
          .then(() => at.push(Date.now())),
      ),
    );
    await Promise.all(background);
    // Completions seen before `started` + 1 s were taken in the first window, which the first
    // call opened no earlier than `started`.
    const firstWindow = at.filter(t => t < started + 1000).length;
    expect(firstWindow).toBeLessThanOrEqual(BACKGROUND_POINTS);
    expect(at).toHaveLength(POINTS);

    const foreground = createEcsReadBudget({ share: 1 });
    const begun = Date.now();
    const took: number[] = [];
    await Promise.all(
      Array.from({ length: POINTS }, () =>
        foreground
          .take(WHERE, 'DescribeTaskDefinition')
          .then(() => took.push(Date.now())),
      ),
    );
    expect(took.filter(t => t < begun + 1000)).toHaveLength(POINTS);
  });

  it('passes actions outside the table at once, background or not', async () => {
    const budget = createEcsReadBudget({ share: 0.01 });
    await expect(
      inBackground(() => budget.take(WHERE, 'UpdateService')),
    ).resolves.toBeUndefined();
    await expect(budget.take(WHERE, 'UpdateService')).resolves.toBeUndefined();
  });
});
