import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import pLimit from 'p-limit';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { EnvironmentConfig } from '../config';

type AnyClient = ECSClient | SSMClient;
type ClientConfig = {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  retryMode: string;
  maxAttempts: number;
};

/**
 * One SDK client per account, region and endpoint (and so per role), created on first use.
 * Every call goes through a concurrency cap per account and region, and the SDK's adaptive retry
 * mode (client-side rate limiting on throttling, exponential back-off on 5xx).
 *
 * @public
 */
export class AwsClients {
  private readonly ecsClients = new Map<string, Promise<ECSClient>>();
  private readonly ssmClients = new Map<string, Promise<SSMClient>>();
  private readonly limits = new Map<string, pLimit.Limit>();

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly options: {
      maxConcurrentCalls: number;
      maxAttempts: number;
    },
  ) {}

  ecs(env: EnvironmentConfig): Promise<ECSClient> {
    return this.client(this.ecsClients, env, c => new ECSClient(c));
  }

  ssm(env: EnvironmentConfig): Promise<SSMClient> {
    return this.client(this.ssmClients, env, c => new SSMClient(c));
  }

  private client<T extends AnyClient>(
    cache: Map<string, Promise<T>>,
    env: EnvironmentConfig,
    create: (config: ClientConfig) => T,
  ): Promise<T> {
    const key = `${env.accountId ?? 'main'}|${env.region}|${
      env.endpoint ?? ''
    }`;
    let client = cache.get(key);
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
            maxAttempts: this.options.maxAttempts,
          });
          const limit = this.limit(`${env.accountId ?? 'main'}|${env.region}`);
          (created.middlewareStack as ECSClient['middlewareStack']).add(
            next => args => limit(() => next(args)),
            { step: 'initialize', name: 'ecsDeployConcurrencyCap' },
          );
          return created;
        });
      client.catch(() => cache.delete(key));
      cache.set(key, client);
    }
    return client;
  }

  private limit(key: string) {
    let limit = this.limits.get(key);
    if (!limit) {
      limit = pLimit(this.options.maxConcurrentCalls);
      this.limits.set(key, limit);
    }
    return limit;
  }
}
