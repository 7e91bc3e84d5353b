import {
  BACKGROUND_SHARE,
  createEcsReadBudget,
  ECS_READ_RATES,
} from './ecsRateLimit';
import { inBackground, SharedReads } from './readLanes';

const WHERE = '111111111111|eu-west-1';
const ACTION = 'DescribeTaskDefinition';
/**
 * A share small enough for ten-second windows (under 2 calls a second the budget counts per
 * 10 s), so that "within the first window" never depends on how busy the machine is.
 */
const SHARE = 0.05;
const WINDOW_MS = 10_000;
const RATE = ECS_READ_RATES['task-definition-read'].perSecond * SHARE;
const POINTS = Math.floor(RATE * 10);
const BACKGROUND_POINTS = Math.floor(RATE * BACKGROUND_SHARE * 10);

/** Takes `n` points (in the background with `background`), recording when each was taken. */
function takeMany(
  budget: ReturnType<typeof createEcsReadBudget>,
  n: number,
  options: { background?: boolean; at?: number[]; done?: string[] } = {},
) {
  return Array.from({ length: n }, (_, i) => {
    const take = () =>
      budget.take(WHERE, ACTION).then(() => {
        options.at?.push(Date.now());
        options.done?.push(`${options.background ? 'background' : 'viewer'}-${i}`);
      });
    return options.background ? inBackground(take) : take();
  });
}

describe('the ECS read budget', () => {
  it('serves a waiting viewer before the background pass that queued first', async () => {
    const budget = createEcsReadBudget({ share: SHARE });
    const done: string[] = [];
    const background = takeMany(budget, BACKGROUND_POINTS, {
      background: true,
      done,
    });
    await Promise.all(takeMany(budget, POINTS - BACKGROUND_POINTS, { done }));
    expect(done.filter(d => d.startsWith('background'))).toEqual([]);
    await Promise.all(background);
    expect(done).toHaveLength(POINTS);
  });

  it('lets background reads take only their share of a window, and the rest all of it', async () => {
    const background = createEcsReadBudget({ share: SHARE });
    const started = Date.now();
    const at: number[] = [];
    const pass = takeMany(background, BACKGROUND_POINTS + 1, {
      background: true,
      at,
    });
    await Promise.all(pass.slice(0, BACKGROUND_POINTS));
    // The last one waits for the next window, which the first call opened no earlier than
    // `started`: whatever was taken before `started` + the window was taken in the first.
    await new Promise(r => setTimeout(r, 200));
    expect(at.filter(t => t < started + WINDOW_MS)).toHaveLength(
      BACKGROUND_POINTS,
    );

    const foreground = createEcsReadBudget({ share: SHARE });
    const begun = Date.now();
    const took: number[] = [];
    await Promise.all(takeMany(foreground, POINTS, { at: took }));
    expect(took.filter(t => t < begun + WINDOW_MS)).toHaveLength(POINTS);
    await Promise.all(pass);
  }, 30_000);

  it("promotes the index's read in flight when a viewer comes to wait for it", async () => {
    const budget = createEcsReadBudget({ share: SHARE });
    const reads = new SharedReads();
    await Promise.all(takeMany(budget, BACKGROUND_POINTS, { background: true }));
    // The background share of this window is spent: the index's next read waits for the next.
    const started = Date.now();
    let readAt = 0;
    const indexRead = inBackground(() =>
      reads.run('td:a', () =>
        budget.take(WHERE, ACTION).then(() => {
          readAt = Date.now();
        }),
      ),
    );
    await new Promise(r => setTimeout(r, 100));
    expect(readAt).toBe(0);
    await reads.waitFor('td:a', () => indexRead);
    // Promoted: taken from what the window keeps for the foreground, not in the next window
    // (which opens about WINDOW_MS after `started`).
    expect(readAt).toBeGreaterThan(0);
    expect(readAt - started).toBeLessThan(WINDOW_MS / 2);
  }, 30_000);

  it('passes actions outside the table at once, background or not', async () => {
    const budget = createEcsReadBudget({ share: 0.01 });
    await expect(
      inBackground(() => budget.take(WHERE, 'UpdateService')),
    ).resolves.toBeUndefined();
    await expect(budget.take(WHERE, 'UpdateService')).resolves.toBeUndefined();
  });
});
