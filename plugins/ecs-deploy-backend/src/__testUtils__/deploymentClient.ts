/*
 * The deployment strategy tests' client of a started team backend and the emulator: status,
 * promotion, the controls, the progress the status shows, ECS's service deployment, history.
 */
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { eventually } from '@internal/dev-kit';
import request from 'supertest';
import { ecsClient } from './ecsFixtures';
import { ALICE, api, as } from './teamBackend';

/** What a person does to a deployment in progress. */
export type Control = 'hold' | 'continue' | 'abort' | 'skip-bake';

export function deploymentClient(server: any, endpoint: string) {
  const status = async (name: string, environment: string) => {
    const res = await request(server)
      .get(`${api(name)}/status`)
      .set('Authorization', as(ALICE));
    return res.body.environments.find(
      (e: any) => e.environment === environment,
    );
  };
  return {
    status,
    healthy: (name: string, environment: string) =>
      eventually(
        `${name} healthy in ${environment}`,
        async () => (await status(name, environment))?.health === 'healthy',
        { timeoutMs: 30_000, intervalMs: 200 },
      ),
    promote: (name: string) =>
      request(server)
        .post(`${api(name)}/promotions`)
        .set('Authorization', as(ALICE))
        .send({ from: 'staging', to: 'prod' }),
    control: (name: string, action: Control, who: string, body: object = {}) =>
      request(server)
        .post(`${api(name)}/deployment/${action}`)
        .set('Authorization', as(who))
        .send({ environment: 'prod', ...body }),
    /** Polls prod's deployment in progress until `ok` holds; returns it. */
    progress: (name: string, what: string, ok: (d: any) => boolean) =>
      eventually(
        what,
        async () => {
          const d = (await status(name, 'prod'))?.deployment;
          return d && ok(d) && d;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      ),
    /** ECS's latest service deployment of the prod service. */
    serviceDeployment: async (name: string) => {
      const ecs = ecsClient(endpoint);
      const { serviceDeployments } = await ecs.send(
        new ListServiceDeploymentsCommand({
          cluster: 'test-prod',
          service: name,
          maxResults: 1,
        }),
      );
      const { serviceDeployments: [deployment] = [] } = await ecs.send(
        new DescribeServiceDeploymentsCommand({
          serviceDeploymentArns: [serviceDeployments![0].serviceDeploymentArn!],
        }),
      );
      return deployment;
    },
    history: async (name: string) =>
      (
        await request(server)
          .get(`${api(name)}/history`)
          .set('Authorization', as(ALICE))
      ).body.items as any[],
  };
}
