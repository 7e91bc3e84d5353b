/*
 * The started backend of the onboarding templates' end-to-end tests: the real ecs-deploy backend
 * (its adoptions and jobs), the catalog (the template under test and an org file) and the
 * scaffolder with this module, against the emulator, with the real Terraform writing its states
 * and publishing into a test directory. Plus a bounded poll for what takes minutes under load.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The real backend on purpose: the claims and jobs are the ecs-deploy backend's.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import { ecsDeployTestConfig } from '@internal/dev-kit';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import scaffolderModuleEcsDeploy, {
  catalogModuleEcsDeployFileLocations,
} from '../index';
import { groupEntity } from './backend';
import { REPO_ROOT } from './provisionFixtures';

export const TERRAFORM = path.join(REPO_ROOT, 'scripts/terraform.sh');

/** Polls `fn` until it answers; a real import on a loaded CI machine can take minutes. */
export async function until<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 300_000,
): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const userEntity = (name: string, group: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
});

/**
 * Starts the backend with `templates/<template>` in the catalog, `groups` and `people` (user,
 * group), publishing into `<root>/published` (where the roots find terraform-modules) and keeping
 * Terraform's states in `<root>/state`; resolves once the catalog knows the template and the
 * first person's groups.
 */
export async function startAdoptionBackend(options: {
  endpoint: string;
  root: string;
  template: string;
  groups: string[];
  people: Array<[name: string, group: string]>;
  /** More of `ecsDeploy` (permissions, onboarding). */
  ecsDeploy?: object;
  features?: Parameters<typeof startTestBackend>[0]['features'];
}): Promise<Server> {
  const { endpoint, root } = options;
  // The scaffolder reads the services with the SDK's default chain (the emulator's test keys).
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  fs.mkdirSync(path.join(root, 'published'), { recursive: true });
  fs.symlinkSync(
    path.join(REPO_ROOT, 'terraform-modules'),
    path.join(root, 'published/terraform-modules'),
  );
  const org = path.join(root, 'org.yaml');
  fs.writeFileSync(
    org,
    [
      ...options.groups.map(groupEntity),
      ...options.people.map(([name, group]) => userEntity(name, group)),
    ]
      .map(e => yaml.stringify(e))
      .join('---\n'),
  );
  const config = ecsDeployTestConfig(endpoint, {
    ...options.ecsDeploy,
    scaffolder: {
      modulesSource: '../terraform-modules',
      localPublishDir: path.join(root, 'published'),
      allowFileLocations: true,
      backend: { type: 'local' },
      provision: 'terraform',
      terraform: {
        command: TERRAFORM,
        stateDir: path.join(root, 'state'),
        localEmulator: true,
      },
    },
  });
  const { server } = await startTestBackend({
    features: [
      ecsDeployPlugin,
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      catalogModuleEcsDeployFileLocations,
      scaffolderPlugin,
      scaffolderModuleEcsDeploy,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...config,
          backend: { baseUrl: 'http://localhost:7007' },
          catalog: {
            rules: [
              { allow: ['Component', 'Template', 'Location', 'Group', 'User'] },
            ],
            locations: [
              {
                type: 'file',
                target: path.join(
                  REPO_ROOT,
                  'templates',
                  options.template,
                  'template.yaml',
                ),
              },
              { type: 'file', target: org },
            ],
          },
        },
      }),
    ],
  });
  const [first] = options.people[0];
  const as = {
    Authorization: mockCredentials.user.header(`user:default/${first}`),
  };
  await until(async () => {
    const user = await request(server)
      .get(`/api/catalog/entities/by-name/user/default/${first}`)
      .set(as);
    const template = await request(server)
      .get(`/api/catalog/entities/by-name/template/default/${options.template}`)
      .set(as);
    return user.body.relations?.length && template.status === 200
      ? true
      : undefined;
  }, 'the catalog');
  return server;
}

/**
 * Creates a task of `template` with `values` as `authorization` and waits for its end (up to
 * `timeoutMs`); resolves with the create answer, the task, its events and their log lines.
 */
export async function runTask(
  server: Parameters<typeof request>[0],
  authorization: string,
  template: string,
  values: object,
  timeoutMs: number,
) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', authorization)
    .send({ templateRef: `template:default/${template}`, values });
  const task =
    created.status === 201
      ? await until(
          async () => {
            const res = await request(server)
              .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
              .set('Authorization', authorization);
            return ['completed', 'failed', 'cancelled'].includes(
              res.body.status,
            )
              ? res.body
              : undefined;
          },
          'the task',
          timeoutMs,
        )
      : undefined;
  const events = task
    ? (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', authorization)
      ).body
    : [];
  const log: string = events.map((e: any) => e.body.message).join('\n');
  return { created, task, events, log };
}
