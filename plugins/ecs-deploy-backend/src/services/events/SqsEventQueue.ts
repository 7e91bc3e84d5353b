import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { EventQueueConfig, EventsConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';

/** A message as received: deleted only once what it reports is stored. */
export interface ReceivedMessage {
  id: string;
  receiptHandle: string;
  body: string;
}

/** A queue of ECS events. */
export interface EventQueue {
  /** The queue's name, for logs and /health (never its URL's account). */
  readonly name: string;
  /** Waits (long polling) for messages; each stays invisible to others for the visibility timeout. */
  receive(signal: AbortSignal): Promise<ReceivedMessage[]>;
  /** Deletes handled messages; returns the ids SQS could not delete (received again later). */
  delete(messages: ReceivedMessage[]): Promise<string[]>;
}

/** SQS's limit per ReceiveMessage and DeleteMessageBatch call. */
const BATCH = 10;

/**
 * {@link EventQueue} on SQS: one long poll, and when it comes back full, `receiveBatches - 1`
 * more receives at once that do not wait, so a burst is taken in large batches while a single
 * event is handled the moment it arrives.
 */
export class SqsEventQueue implements EventQueue {
  readonly name: string;

  constructor(
    private readonly clients: AwsClients,
    private readonly queue: EventQueueConfig,
    private readonly settings: Pick<
      EventsConfig,
      'waitTimeSeconds' | 'visibilityTimeoutSeconds' | 'receiveBatches'
    >,
  ) {
    this.name = queue.queueUrl.split('/').pop()!;
  }

  private async receiveOnce(signal: AbortSignal, waitTimeSeconds: number) {
    const sqs = await this.clients.sqs(
      this.queue,
      this.settings.waitTimeSeconds,
    );
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queue.queueUrl,
        MaxNumberOfMessages: BATCH,
        WaitTimeSeconds: waitTimeSeconds,
        VisibilityTimeout: this.settings.visibilityTimeoutSeconds,
      }),
      { abortSignal: signal },
    );
    return (out.Messages ?? []).map(m => ({
      id: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
    }));
  }

  async receive(signal: AbortSignal): Promise<ReceivedMessage[]> {
    const first = await this.receiveOnce(signal, this.settings.waitTimeSeconds);
    if (first.length < BATCH || this.settings.receiveBatches < 2) return first;
    const more = await Promise.all(
      Array.from({ length: this.settings.receiveBatches - 1 }, () =>
        this.receiveOnce(signal, 0),
      ),
    );
    return [...first, ...more.flat()];
  }

  async delete(messages: ReceivedMessage[]): Promise<string[]> {
    const sqs = await this.clients.sqs(
      this.queue,
      this.settings.waitTimeSeconds,
    );
    const failed: string[] = [];
    for (let i = 0; i < messages.length; i += BATCH) {
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.queueUrl,
          Entries: messages.slice(i, i + BATCH).map((m, j) => ({
            Id: String(j),
            ReceiptHandle: m.receiptHandle,
          })),
        }),
      );
      for (const f of out.Failed ?? []) failed.push(messages[i + Number(f.Id)].id);
    }
    return failed;
  }
}
