import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testCredentials } from '../../__testUtils__/readStack';
import { AwsClients } from './AwsClients';
import { urgently } from './callContext';

/**
 * An AWS JSON endpoint on loopback that holds every request until `release()`: the order the
 * requests reached it, by the first service named (ECS) or the message body (SQS).
 */
async function heldEndpoint() {
  const arrived: string[] = [];
  const held: Array<() => void> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const input = JSON.parse(body || '{}');
      arrived.push(input.services?.[0] ?? input.MessageBody);
      held.push(() => {
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify(
            input.services
              ? { services: [], failures: [] }
              : { MessageId: 'm', MD5OfMessageBody: '' },
          ),
        );
      });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    arrived,
    /** Answers the requests held so far. */
    release: () => held.splice(0).forEach(answer => answer()),
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

/** Clients with a cap of one call at a time, and a location at `endpoint`. */
const cappedAtOne = (endpoint: string) => ({
  clients: new AwsClients(testCredentials as any, {
    maxConcurrentCalls: 1,
    maxAttempts: 1,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 5000,
  }),
  env: { region: 'eu-west-1', endpoint },
});

const until = async (check: () => boolean) => {
  while (!check()) await new Promise(resolve => setTimeout(resolve, 5));
};

describe('AwsClients', () => {
  it('sends an urgent call first when the concurrency cap is reached, the others in order', async () => {
    const aws = await heldEndpoint();
    try {
      const { clients, env } = cappedAtOne(aws.endpoint);
      const ecs = await clients.ecs(env);
      const describe = (name: string) =>
        ecs.send(new DescribeServicesCommand({ services: [name] }));
      const calls = [describe('holding')];
      await until(() => aws.arrived.length === 1);
      calls.push(describe('a'), describe('b'));
      calls.push(urgently(() => describe('urgent')));
      while (aws.arrived.length < 4) {
        aws.release();
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      aws.release();
      await Promise.all(calls);
      expect(aws.arrived).toEqual(['holding', 'urgent', 'a', 'b']);
    } finally {
      await aws.close();
    }
  });

  it('never holds SQS calls (long polls) under the cap', async () => {
    const aws = await heldEndpoint();
    try {
      const { clients, env } = cappedAtOne(aws.endpoint);
      const sqs = await clients.sqs(env, 1);
      const send = (body: string) =>
        sqs.send(
          new SendMessageCommand({ QueueUrl: aws.endpoint, MessageBody: body }),
        );
      const calls = [send('one'), send('two')];
      await until(() => aws.arrived.length === 2);
      aws.release();
      await Promise.allSettled(calls);
      expect(aws.arrived.sort()).toEqual(['one', 'two']);
    } finally {
      await aws.close();
    }
  });
});
