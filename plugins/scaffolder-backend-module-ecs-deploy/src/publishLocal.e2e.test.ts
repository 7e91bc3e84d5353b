/*
 * The local default end to end: the real catalog and scaffolder backends run the repository's
 * template with publishTarget=local; the new component must appear in the catalog.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { ECS_DEPLOY_SERVICE_ANNOTATION } from '@deployment-portal/plugin-ecs-deploy-common';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  ecsDeployNamesMock,
  groupEntity,
  userInfoWith,
} from './__testUtils__/backend';
import { listFiles } from './__testUtils__/fixtures';
import scaffolderModuleEcsDeploy, {
  catalogModuleEcsDeployFileLocations,
} from './index';

const TEMPLATE = path.resolve(
  __dirname,
  '../../../templates/ecs-service/template.yaml',
);

async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('templates/ecs-service published locally', () => {
  jest.setTimeout(90_000);
  const publishDir = createMockDirectory();
  const teams = createMockDirectory({
    content: { 'teams.yaml': yaml.stringify(groupEntity('team-payments')) },
  });
  const names = ecsDeployNamesMock({});

  it('publishes the repository to the local directory and registers the component', async () => {
    const { server } = await startTestBackend({
      features: [
        names.plugin,
        userInfoWith(['group:default/team-payments']),
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        catalogModuleEcsDeployFileLocations,
        scaffolderPlugin,
        scaffolderModuleEcsDeploy,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [
                {
                  allow: ['Component', 'Template', 'Location', 'Group', 'User'],
                },
              ],
              locations: [
                { type: 'file', target: TEMPLATE },
                { type: 'file', target: teams.resolve('teams.yaml') },
              ],
            },
            ecsDeploy: {
              environments: [{ name: 'staging' }, { name: 'prod' }],
              scaffolder: {
                localPublishDir: publishDir.path,
                allowFileLocations: true,
              },
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header();

    for (const ref of [
      'template/default/ecs-service',
      'group/default/team-payments',
    ]) {
      await waitFor(async () => {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('Authorization', auth);
        return res.status === 200 ? true : undefined;
      }, `${ref} in the catalog`);
    }

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({
        templateRef: 'template:default/ecs-service',
        values: {
          name: 'orders-api',
          description: 'Orders API',
          owner: 'group:default/team-payments',
          environments: ['staging', 'prod'],
          publishTarget: 'local',
        },
      });
    expect(created.status).toBe(201);

    const task = await waitFor(async () => {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', auth);
      return ['completed', 'failed', 'cancelled'].includes(res.body.status)
        ? res.body
        : undefined;
    }, 'the task');
    if (task.status !== 'completed') {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', auth);
      throw new Error(
        `task ${task.status}: ${events.body
          .map((e: any) => e.body.message)
          .join('\n')}`,
      );
    }

    expect(names.requests).toEqual(['orders-api']);
    const published = path.join(publishDir.path, 'orders-api');
    expect(await listFiles(published)).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'Dockerfile',
        '.github/workflows/deploy.yaml',
        'terraform/staging/main.tf',
        'terraform/prod/main.tf',
      ]),
    );

    const entity = await waitFor(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/orders-api')
        .set('Authorization', auth);
      return res.status === 200 ? res.body : undefined;
    }, 'the new component in the catalog');
    expect(entity.metadata.annotations[ECS_DEPLOY_SERVICE_ANNOTATION]).toBe(
      'orders-api',
    );
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`file:${path.join(published, 'catalog-info.yaml')}`);
    expect(entity.spec.owner).toBe('group:default/team-payments');
  });
});
