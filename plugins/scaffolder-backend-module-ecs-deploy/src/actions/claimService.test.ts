/*
 * ecs-deploy:claim-service over a recording AdoptionClient: what it asks the backend in a dry run
 * and a real run, and that the backend's refusal reaches the task unchanged. The backend itself
 * is exercised in adopt.e2e.test.ts and the ecs-deploy backend's adoption.test.ts.
 */
import { NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import type { AdoptionClient } from '../adoptionClient';
import { createClaimServiceAction } from './claimService';
import { examples } from './claimService.examples';

describe('ecs-deploy:claim-service', () => {
  const asked: Array<{ request: object; principal: unknown }> = [];
  const adoptions: AdoptionClient = {
    async adopt(request, credentials) {
      asked.push({ request, principal: credentials.principal });
      if (request.serviceName === 'forbidden') {
        throw new NotAllowedError('user:default/mock may not adopt forbidden');
      }
      return {
        entityRef: `component:default/${request.serviceName}`,
        owner: request.owner,
        actor: 'user:default/mock',
        dryRun: Boolean(request.dryRun),
        services: request.environments.map(environment => ({
          environment,
          cluster: `c-${environment}`,
          serviceArn: `arn:${environment}`,
          imageParameters: [
            {
              name: `/ecs-deploy/${environment}/${request.serviceName}/image/app`,
              image: 'ghcr.io/acme/x:1',
              created: false,
            },
          ],
        })),
      };
    },
  };
  const action = createClaimServiceAction({ adoptions });

  beforeEach(() => asked.splice(0));

  it('runs every example, asking the backend as the initiator', async () => {
    for (const example of examples) {
      const [step] = yaml.parse(example.example).steps;
      const ctx = createMockActionContext({ input: step.input });
      await action.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('serviceArns', [
        'arn:staging',
        'arn:prod',
      ]);
    }
    expect(asked).toEqual([
      {
        request: {
          serviceName: 'billing',
          owner: 'group:default/team-payments',
          environments: ['staging', 'prod'],
          dryRun: false,
          acceptAdopted: true,
        },
        principal: expect.objectContaining({ type: 'user' }),
      },
    ]);
  });

  it('asks for a check only in a dry run', async () => {
    const ctx = {
      ...createMockActionContext({
        input: {
          name: 'billing',
          owner: 'group:default/a',
          environments: ['prod'],
        },
      }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(asked.map(a => (a.request as any).dryRun)).toEqual([true]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/billing',
    );
  });

  it('fails with the backend’s refusal', async () => {
    const ctx = createMockActionContext({
      input: {
        name: 'forbidden',
        owner: 'group:default/a',
        environments: ['prod'],
      },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      new NotAllowedError('user:default/mock may not adopt forbidden'),
    );
  });
});
