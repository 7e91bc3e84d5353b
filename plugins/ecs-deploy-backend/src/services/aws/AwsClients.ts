import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import pLimit from 'p-limit';
import { EcsDeployConfig, EnvironmentConfig } from '../../config';

type AnyClient =
  | ECSClient
  | SSMClient
  | CloudWatchLogsClient
  | ApplicationAutoScalingClient;

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
 * use. Every call goes through a concurrency cap per account and region, the SDK's adaptive retry
 * mode (client-side rate limiting on throttling, back-off on 5xx), and connection and request
 * timeouts, so an AWS endpoint that stops answering never holds a caller longer than a bound.
 */
export class AwsClients {
  private readonly clients = new Map<string, Promise<AnyClient>>();
  private readonly limits = new Map<string, pLimit.Limit>();

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly settings: Settings,
  ) {}

  ecs(env: EnvironmentConfig): Promise<ECSClient> {
    return this.client('ecs', env, c => new ECSClient(c));
  }

  ssm(env: EnvironmentConfig): Promise<SSMClient> {
    return this.client('ssm', env, c => new SSMClient(c));
  }

  logs(env: EnvironmentConfig): Promise<CloudWatchLogsClient> {
    return this.client('logs', env, c => new CloudWatchLogsClient(c));
  }

  applicationAutoScaling(
    env: EnvironmentConfig,
  ): Promise<ApplicationAutoScalingClient> {
    return this.client(
      'application-autoscaling',
      env,
      c => new ApplicationAutoScalingClient(c),
    );
  }

  private client<T extends AnyClient>(
    kind: string,
    env: EnvironmentConfig,
    create: (config: AwsClientConfig) => T,
  ): Promise<T> {
    const account = env.accountId ?? 'main';
    const key = `${kind}|${account}|${env.region}|${env.endpoint ?? ''}`;
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
          const limit = this.limit(`${account}|${env.region}`);
          (created.middlewareStack as ECSClient['middlewareStack']).add(
            next => args => limit(() => next(args)),
            { step: 'initialize', name: 'ecsDeployConcurrencyCap' },
          );
          return created;
        });
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  private limit(key: string) {
    let limit = this.limits.get(key);
    if (!limit) {
      limit = pLimit(this.settings.maxConcurrentCalls);
      this.limits.set(key, limit);
    }
    return limit;
  }
}
