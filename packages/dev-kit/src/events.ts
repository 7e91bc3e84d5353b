import {
  DisableRuleCommand,
  EnableRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
} from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { TEST_REGION, eventBridgeClient, sqsClient } from './aws.ts';

export interface EventsQueueOptions {
  /** Queue name and rule name prefix (default ecs-deploy-events), as portal-events names them. */
  name?: string;
  region?: string;
  /** Default 60 s, as portal-events. */
  visibilityTimeoutSeconds?: number;
  /** Whose account the queue and rules go in (e.g. an account's administrator); default the main account. */
  credentials?: AwsCredentialIdentity;
}

export interface EventsQueue {
  queueUrl: string;
  queueArn: string;
  /** The rules on the default bus, by the detail type they route. */
  rules: Record<string, string>;
}

/** The three ECS detail types portal-events routes, by rule name suffix. */
const DETAIL_TYPES: Record<string, string> = {
  'deployment-state': 'ECS Deployment State Change',
  'service-action': 'ECS Service Action',
  'task-state': 'ECS Task State Change',
};

/**
 * What terraform-modules/portal-events creates in its default (queue) mode, through the SDK: an
 * SQS queue and, on the account's default event bus, one enabled rule per ECS detail type the
 * portal follows (task state changes only of service tasks) delivering to it. Idempotent: an
 * existing queue and rules are reused.
 */
export async function createEventsQueue(
  endpoint: string,
  options: EventsQueueOptions = {},
): Promise<EventsQueue> {
  const { name = 'ecs-deploy-events', region = TEST_REGION } = options;
  const sqs = sqsClient(endpoint, region, options.credentials);
  const events = eventBridgeClient(endpoint, region, options.credentials);
  const queueUrl = await sqs
    .send(new GetQueueUrlCommand({ QueueName: name }))
    .then(out => out.QueueUrl!)
    .catch(async error => {
      if (!(error instanceof QueueDoesNotExist)) throw error;
      const out = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: {
            VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 60),
            ReceiveMessageWaitTimeSeconds: '20',
          },
        }),
      );
      return out.QueueUrl!;
    });
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['QueueArn'],
    }),
  );
  const queueArn = Attributes!.QueueArn!;
  const rules: Record<string, string> = {};
  for (const [suffix, detailType] of Object.entries(DETAIL_TYPES)) {
    const rule = `${name}-${suffix}`;
    await events.send(
      new PutRuleCommand({
        Name: rule,
        State: 'ENABLED',
        EventPattern: JSON.stringify({
          source: ['aws.ecs'],
          'detail-type': [detailType],
          ...(suffix === 'task-state' && {
            detail: { group: [{ prefix: 'service:' }] },
          }),
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: rule,
        Targets: [{ Id: 'portal-queue', Arn: queueArn }],
      }),
    );
    rules[detailType] = rule;
  }
  return { queueUrl, queueArn, rules };
}

/** Turns the queue's rules off (ECS changes then reach no queue, as with rules missing) or on. */
export async function setEventsRules(
  endpoint: string,
  queue: Pick<EventsQueue, 'rules'>,
  enabled: boolean,
  region = TEST_REGION,
): Promise<void> {
  const events = eventBridgeClient(endpoint, region);
  for (const Name of Object.values(queue.rules)) {
    await events.send(
      enabled
        ? new EnableRuleCommand({ Name })
        : new DisableRuleCommand({ Name }),
    );
  }
}
