/*
 * The verification tests' world: prod behind a load balancer with the ecs-service module's 5xx
 * alarm, staging without (nothing to check there), verification config with a short window, and
 * reading verifications back over the backend's API.
 */
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  cloudWatchClient,
  createLoadBalancer,
  eventually,
} from '@internal/dev-kit';
import request from 'supertest';
import { seedService } from './ecsFixtures';
import { ALICE, api, as } from './teamBackend';

/**
 * Verification as the tests run it: a short window, a check a second, the HTTP check (of
 * `httpUrl`, a URL template) in prod only.
 */
export function verificationConfig(httpUrl: string, windowSeconds: number) {
  return {
    verification: {
      defaults: {
        window: { seconds: windowSeconds },
        interval: { seconds: 1 },
      },
      environments: {
        prod: {
          http: {
            url: httpUrl,
            successes: 2,
            // Wrong answers are tolerated long enough that the alarm is what fails a bad image.
            failureLimit: 30,
          },
        },
      },
      watch: { interval: { seconds: 1 } },
    },
    // A step's claim outlives a stopped backend by this little (the restart test).
    aws: { readDeadline: { seconds: 2 }, writeDeadline: { seconds: 5 } },
  };
}

/**
 * Staging runs `staging` (no load balancer, nothing to check there); prod runs 1.0.0 behind a
 * load balancer with the module's 5xx alarm (`<name>-prod-http-5xx-rate`).
 */
export async function seed(endpoint: string, name: string, staging: string) {
  await seedService(
    endpoint,
    'staging',
    name,
    `ghcr.io/acme/${name}:${staging}`,
  );
  const loadBalancer = await createLoadBalancer(endpoint, `${name}-alb`);
  await seedService(endpoint, 'prod', name, `ghcr.io/acme/${name}:1.0.0`, {
    loadBalancer,
  });
  await cloudWatchClient(endpoint).send(
    new PutMetricAlarmCommand({
      AlarmName: `${name}-prod-http-5xx-rate`,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: loadBalancer.dimensions,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
}

/** The image a service runs: the tag, pinned to its digest by a promotion or not. */
export const imageOf = (name: string, tag: string) =>
  new RegExp(
    `^ghcr\\.io/acme/${name}:${tag.replace(
      /\./g,
      '\\.',
    )}(@sha256:[0-9a-f]{64})?$`,
  );

export const verifications = async (
  server: any,
  name: string,
  environment: string,
) => {
  const res = await request(server)
    .get(`${api(name)}/verifications?environment=${environment}`)
    .set('Authorization', as(ALICE));
  if (res.status !== 200) throw new Error(`${res.status}: ${res.text}`);
  return res.body.items as any[];
};

/** The verification of `environment` once `done` says it is where the test wants it. */
export const verificationWhen = (
  server: any,
  name: string,
  environment: string,
  what: string,
  done: (v: any) => boolean,
  timeoutMs = 60_000,
) =>
  eventually(
    `${name} ${environment}: ${what}`,
    async () => {
      const [latest] = await verifications(server, name, environment);
      return latest && done(latest) && latest;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch(async error => {
    const [latest] = await verifications(server, name, environment);
    throw new Error(
      `${error.message}; the latest: ${JSON.stringify(latest, null, 1)}`,
    );
  });

/** Promotes staging to prod once staging's own verification (of CI's deploy) has ended. */
export async function promote(server: any, name: string) {
  const staging = await verificationWhen(
    server,
    name,
    'staging',
    'the noticed deployment is verified or skipped',
    v => v.status !== 'running',
  );
  expect(staging).toMatchObject({
    trigger: 'deployment',
    requestedBy: 'system',
    status: 'skipped',
    message: expect.stringMatching(
      /^Nothing to check in staging: no CloudWatch alarm/,
    ),
  });
  const res = await request(server)
    .post(`${api(name)}/promotions`)
    .set('Authorization', as(ALICE))
    .send({ from: 'staging', to: 'prod', reason: 'release' });
  expect(res.status).toBe(201);
  return res.body.audit.id as string;
}
