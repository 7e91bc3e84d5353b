import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import PQueue from 'p-queue';
import { AwsLocation, EcsDeployConfig } from '../../config';
import { type CallBudget, whereOf } from './ecsRateLimit';
import { callContext } from './callContext';

type AnyClient =
  | ECSClient
  | SQSClient
  | SSMClient
  | CloudWatchLogsClient
  | ApplicationAutoScalingClient
  | CloudWatchClient
  | IAMClient
  | SecretsManagerClient
  | ElasticLoadBalancingV2Client;

/** What every client is built with: region, endpoint, credentials, retries and timeouts. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  retryMode: string;
  maxAttempts: number;
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
  };
}

type Settings = Pick<
  EcsDeployConfig,
  'maxConcurrentCalls' | 'maxAttempts' | 'connectTimeoutMs' | 'requestTimeoutMs'
>;

/**
 * One SDK client per service, account, region and endpoint (and so per role), created on first
 * use. Every call but SQS's (a long poll holds its connection for seconds) goes through a
 * concurrency cap per account and region, urgent calls (callContext) first, the SDK's adaptive retry
 * mode (client-side rate limiting on throttling, back-off on 5xx), and connection and request
 * timeouts, so an AWS endpoint that stops answering never holds a caller longer than a bound.
 * ECS reads also wait for the portal's share of ECS's rates (`budget`), shared by the replicas.
 */
export class AwsClients {
  private readonly clients = new Map<string, Promise<AnyClient>>();
  private readonly gates = new Map<string, PQueue>();

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly settings: Settings,
    /** ECS reads per account and region (none: only the concurrency cap). */
    private readonly budget?: CallBudget,
  ) {}

  ecs(env: AwsLocation): Promise<ECSClient> {
    return this.client('ecs', env, c => new ECSClient(c), {
      budget: this.budget,
    });
  }

  /**
   * Waits for a point of the ECS read budget for `action` in `env`'s account and region, for a
   * call sent later inside `paidFor` (a batch that takes in names while it waits).
   */
  async ecsReadPoint(
    env: AwsLocation,
    action: string,
    urgent?: boolean,
  ): Promise<void> {
    await this.budget?.take(whereOf(env), action, urgent);
  }

  ssm(env: AwsLocation): Promise<SSMClient> {
    return this.client('ssm', env, c => new SSMClient(c));
  }

  logs(env: AwsLocation): Promise<CloudWatchLogsClient> {
    return this.client('logs', env, c => new CloudWatchLogsClient(c));
  }

  /** Alarms and metrics (verification). */
  cloudwatch(env: AwsLocation): Promise<CloudWatchClient> {
    return this.client('cloudwatch', env, c => new CloudWatchClient(c));
  }

  /**
   * SQS in the queue's account (the same per-account credentials as every other client), whose
   * request timeout outlasts a long poll of `longPollSeconds`.
   */
  sqs(queue: AwsLocation, longPollSeconds: number): Promise<SQSClient> {
    const requestTimeout = Math.max(
      this.settings.requestTimeoutMs,
      longPollSeconds * 1000 + this.settings.requestTimeoutMs,
    );
    return this.client(
      'sqs',
      queue,
      c =>
        new SQSClient({
          ...c,
          requestHandler: { ...c.requestHandler, requestTimeout },
        }),
      { uncapped: true },
    );
  }

  iam(env: AwsLocation): Promise<IAMClient> {
    return this.client('iam', env, c => new IAMClient(c));
  }

  secretsManager(env: AwsLocation): Promise<SecretsManagerClient> {
    return this.client('secretsmanager', env, c => new SecretsManagerClient(c));
  }

  elbv2(env: AwsLocation): Promise<ElasticLoadBalancingV2Client> {
    return this.client('elbv2', env, c => new ElasticLoadBalancingV2Client(c));
  }

  applicationAutoScaling(
    env: AwsLocation,
  ): Promise<ApplicationAutoScalingClient> {
    return this.client(
      'application-autoscaling',
      env,
      c => new ApplicationAutoScalingClient(c),
    );
  }

  private client<T extends AnyClient>(
    kind: string,
    env: AwsLocation,
    create: (config: AwsClientConfig) => T,
    options: { budget?: CallBudget; uncapped?: boolean } = {},
  ): Promise<T> {
    const key = `${kind}|${whereOf(env)}|${env.endpoint ?? ''}`;
    let client = this.clients.get(key) as Promise<T> | undefined;
    if (!client) {
      client = this.credentials
        .getCredentialProvider(
          env.accountId ? { accountId: env.accountId } : {},
        )
        .then(provider => {
          const created = create({
            region: env.region,
            endpoint: env.endpoint,
            credentials: provider.sdkCredentialProvider,
            retryMode: 'adaptive',
            maxAttempts: this.settings.maxAttempts,
            requestHandler: {
              connectionTimeout: this.settings.connectTimeoutMs,
              requestTimeout: this.settings.requestTimeoutMs,
              throwOnRequestTimeout: true,
            },
          });
          if (options.uncapped) return created;
          const where = whereOf(env);
          const gate = this.gate(where);
          (created.middlewareStack as ECSClient['middlewareStack']).add(
            (next, context) => async args => {
              const action = (context.commandName ?? '').replace(
                /Command$/,
                '',
              );
              const { urgent, paid } = callContext();
              if (!paid) await options.budget?.take(where, action, urgent);
              return gate.add(() => next(args), { priority: urgent ? 1 : 0 });
            },
            { step: 'initialize', name: 'ecsDeployConcurrencyCap' },
          );
          return created;
        });
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  private gate(key: string) {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new PQueue({ concurrency: this.settings.maxConcurrentCalls });
      this.gates.set(key, gate);
    }
    return gate;
  }
}
