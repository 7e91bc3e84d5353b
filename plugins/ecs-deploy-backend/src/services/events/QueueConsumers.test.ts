import { mockServices } from '@backstage/backend-test-utils';
import type { EcsEventConsumer, HandledBatch } from './EcsEventConsumer';
import type { EventsHealth } from './eventsHealth';
import { BATCHES_IN_FLIGHT, QueueConsumers } from './QueueConsumers';
import type { QueueClaims } from './queueClaims';
import type { EventQueue, ReceivedMessage } from './SqsEventQueue';

const message = (id: string): ReceivedMessage => ({
  id,
  receiptHandle: `rh-${id}`,
  body: '{}',
});

/** The options of a replica that always holds every queue's claim, with quiet health and logs. */
const alwaysClaimed = () => ({
  claims: {
    hold: async () => true,
    release: async () => {},
  } as unknown as QueueClaims,
  health: {
    received: async () => {},
    failed: async () => {},
    applied: async () => {},
  } as unknown as EventsHealth,
  logger: mockServices.logger.mock(),
});

/** Polls `condition` (bounded, generous for a loaded machine). */
async function until(condition: () => boolean) {
  for (let i = 0; i < 2000 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

/** A queue of one-message batches `ids`, then nothing until aborted; a consumer holding `held`. */
function setup(ids: string[], held: (id: string) => boolean) {
  const batches = ids.map(id => [message(id)]);
  const received: string[] = [];
  const deleted: string[] = [];
  const queue: EventQueue = {
    name: 'q',
    receive: signal => {
      const next = batches.shift();
      if (next) {
        received.push(next[0].id);
        return Promise.resolve(next);
      }
      return new Promise(resolve =>
        signal.addEventListener('abort', () => resolve([])),
      );
    },
    delete: async messages => {
      deleted.push(...messages.map(m => m.id));
      return [];
    },
  };
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  const consumer = {
    handle: async (messages: ReceivedMessage[]): Promise<HandledBatch> => {
      if (held(messages[0].id)) await released;
      return { done: messages, retry: [], read: 1, changed: 1, applied: 1 };
    },
  } as unknown as EcsEventConsumer;
  const consumers = new QueueConsumers({
    queues: [queue],
    consumer,
    ...alwaysClaimed(),
  });
  const controller = new AbortController();
  const run = consumers.run(controller.signal);
  const stop = () => {
    controller.abort();
    return run;
  };
  return { received, deleted, release, stop };
}

describe('QueueConsumers', () => {
  it('handles the next batches while a slow one is still being handled, deleting each once handled', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { deleted, release, stop } = setup(ids, id => id === 'a');
    await until(() => deleted.length === 5);
    expect(deleted).toEqual(['b', 'c', 'd', 'e', 'f']); // not 'a': still being handled
    release();
    await until(() => deleted.length === 6);
    await stop();
    expect(deleted.at(-1)).toBe('a');
  });

  it(`keeps at most ${BATCHES_IN_FLIGHT} batches in flight, and finishes them before it returns`, async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { received, deleted, release, stop } = setup(ids, () => true);
    await until(() => received.length === BATCHES_IN_FLIGHT);
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(received).toHaveLength(BATCHES_IN_FLIGHT); // the next receive waits for a free slot
    expect(deleted).toEqual([]);
    release();
    await until(() => deleted.length === ids.length);
    await stop();
    expect([...deleted].sort()).toEqual(ids);
  });

  it("runs each queue on its own: a run of one queue ends at its time while another's long poll goes on", async () => {
    const controller = new AbortController();
    let fastReceives = 0;
    const fast: EventQueue = {
      name: 'fast',
      receive: async () => {
        fastReceives++;
        await new Promise(resolve => setTimeout(resolve, 5));
        return [];
      },
      delete: async () => [],
    };
    // A long poll that only ends when the replica stops.
    const slow: EventQueue = {
      name: 'slow',
      receive: signal =>
        new Promise(resolve =>
          signal.addEventListener('abort', () => resolve([])),
        ),
      delete: async () => [],
    };
    const consumers = new QueueConsumers({
      queues: [fast, slow],
      consumer: {} as unknown as EcsEventConsumer,
      ...alwaysClaimed(),
      runMs: 50,
    });
    expect(consumers.queues).toEqual([fast, slow]);
    const slowRun = consumers.run(controller.signal, [slow]);
    let fastDone = false;
    const fastRun = consumers
      .run(controller.signal, [fast])
      .then(() => (fastDone = true));
    await until(() => fastDone);
    expect(fastReceives).toBeGreaterThan(0);
    controller.abort();
    await Promise.all([slowRun, fastRun]);
  });
});
