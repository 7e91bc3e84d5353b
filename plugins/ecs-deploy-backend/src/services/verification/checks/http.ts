/*
 * The HTTP check: one GET of the rendered URL per measurement. The expected status (and body
 * match) is a success, any other answer a failure, no answer in time inconclusive.
 */
import type { EcsServiceRef } from '@deployment-portal/plugin-ecs-deploy-common';
import type { Measurement, VerificationPlan } from '../types';

/** Bodies are read up to this many characters for the match. */
const BODY_LIMIT = 64 * 1024;

/** The URL template with the service's values (each URL-encoded). */
export function renderUrl(template: string, service: EcsServiceRef): string {
  const values: Record<string, string> = {
    service: service.serviceName,
    environment: service.environment,
    cluster: service.cluster,
    region: service.region,
    account: service.accountId ?? '',
  };
  return template.replace(/\{([a-z]+)\}/g, (all, key: string) =>
    key in values ? encodeURIComponent(values[key]) : all,
  );
}

/** One request to the check's URL. */
export async function measureHttp(
  http: NonNullable<VerificationPlan['http']>,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<Measurement> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(http.requestTimeoutMs);
  let status: number;
  let body: string;
  try {
    const res = await fetchImpl(http.url, {
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    status = res.status;
    body = (await res.text()).slice(0, BODY_LIMIT);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why = timeout.aborted
      ? `no answer within ${http.requestTimeoutMs} ms`
      : e.cause?.code ?? e.cause?.message ?? e.message;
    return {
      result: 'inconclusive',
      message: `GET ${http.url}: ${why}`,
    };
  }
  const ms = Date.now() - started;
  const answered = `GET ${http.url} answered ${status} in ${ms} ms`;
  if (status !== http.expectedStatus) {
    return {
      result: 'failure',
      message: `${answered} (expected ${http.expectedStatus})`,
      value: status,
      threshold: http.expectedStatus,
      unit: 'status',
    };
  }
  if (http.bodyPattern && !new RegExp(http.bodyPattern).test(body)) {
    return {
      result: 'failure',
      message: `${answered}; its body does not match /${http.bodyPattern}/`,
      value: status,
      unit: 'status',
    };
  }
  return {
    result: 'success',
    message: answered,
    value: status,
    unit: 'status',
  };
}
