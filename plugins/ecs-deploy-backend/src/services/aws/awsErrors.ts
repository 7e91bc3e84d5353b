/*
 * What an AWS SDK or network error means for the user: one message per environment, naming the
 * cluster, account or endpoint, and whether it is AWS being unavailable (retry later) or a
 * configuration problem.
 */
import type { EnvironmentError } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import { DeadlineExceededError } from '../errors';

type AwsError = {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
};

const ACCESS =
  /AccessDenied|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|InvalidSignature/;
const NETWORK =
  /ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|socket hang up|ETIMEDOUT|timed? ?out/i;

/** True when the error says AWS (or the network to it) is unavailable, not that the request is wrong. */
export function isUnavailable(error: unknown): boolean {
  const e = error as AwsError;
  const status = e?.$metadata?.httpStatusCode;
  return (
    error instanceof DeadlineExceededError ||
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    /Throttl/.test(e?.name ?? '') ||
    NETWORK.test(`${e?.code ?? ''} ${e?.message ?? ''}`) ||
    (status !== undefined && status >= 500)
  );
}

/** Turns AWS SDK and network errors into a message for the environment's cell. */
export function toEnvironmentError(
  env: EnvironmentConfig,
  error: unknown,
  /** The AWS service that was read. */
  service = 'ECS',
): EnvironmentError {
  const e = error as AwsError;
  const name = e?.name ?? 'Error';
  const where = `${env.name} (${env.region}${
    env.accountId ? `, account ${env.accountId}` : ''
  })`;
  if (name === 'ClusterNotFoundException') {
    return {
      name,
      message: `ECS cluster '${env.cluster}' not found in ${where}.`,
    };
  }
  if (ACCESS.test(name)) {
    return {
      name,
      message: `Access to ${service} in ${where} was denied: ${
        e.message ?? name
      }`,
    };
  }
  if (error instanceof DeadlineExceededError || name === 'TimeoutError') {
    return {
      name: 'TimeoutError',
      message: `${service} in ${where} did not answer in time: ${
        e.message ?? name
      }`,
    };
  }
  if (NETWORK.test(`${e?.code ?? ''} ${e?.message ?? ''}`)) {
    return {
      name: 'NetworkError',
      message: `Cannot reach AWS for ${where}${
        env.endpoint ? ` at ${env.endpoint}` : ''
      }: ${e.message}`,
    };
  }
  const status = e?.$metadata?.httpStatusCode;
  if (status && status >= 500) {
    return {
      name,
      message: `${service} for ${where} is unavailable: HTTP ${status}${
        e?.message && e.message !== name ? ` (${e.message})` : ''
      }.`,
    };
  }
  return { name, message: e?.message ?? String(error) };
}
