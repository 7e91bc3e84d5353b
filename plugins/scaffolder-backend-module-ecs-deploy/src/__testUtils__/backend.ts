/*
 * Pieces of the test backends: a stand-in for the ecs-deploy backend's name check, a user-info
 * service with group memberships, the catalog's groups and the repository's template.
 */
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { ServiceNameCheck } from '@deployment-portal/plugin-ecs-deploy-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { listFiles } from './fixtures';

export const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../../templates/ecs-service',
);

/**
 * `GET /api/ecs-deploy/service-names/:name` as the ecs-deploy backend answers it: `taken` maps a
 * name to its conflicts; every other name is free. Only service principals (the scaffolder's
 * plugin token) are let in. `requests` records the names asked for.
 */
export function ecsDeployNamesMock(
  taken: Record<string, ServiceNameCheck['conflicts']>,
) {
  const requests: string[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'ecs-deploy',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req, res, next) => {
            const match = /^\/service-names\/([^/]+)$/.exec(req.path);
            if (!match) {
              next();
              return;
            }
            await httpAuth.credentials(req, { allow: ['service'] });
            const name = decodeURIComponent(match[1]);
            requests.push(name);
            const conflicts = taken[name] ?? [];
            const body: ServiceNameCheck = {
              name,
              available: conflicts.length === 0,
              conflicts,
            };
            res.json(body);
          });
        },
      });
    },
  });
  return { plugin, requests };
}

/** coreServices.userInfo: every user is in `ownershipEntityRefs` (plus their own ref). */
export function userInfoWith(ownershipEntityRefs: string[]) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () =>
      ({
        async getUserInfo(credentials) {
          const { userEntityRef } = await mockServices
            .userInfo()
            .getUserInfo(credentials);
          return {
            userEntityRef,
            ownershipEntityRefs: [userEntityRef, ...ownershipEntityRefs],
          };
        },
      } as typeof coreServices.userInfo.T),
  });
}

/** A Group entity. */
export function groupEntity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

/** templates/ecs-service as the dry-run API takes it: the template and its skeleton files. */
export async function loadTemplate() {
  const template = yaml.parse(
    await fs.readFile(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
  );
  const skeleton = path.join(TEMPLATE_DIR, 'skeleton');
  const directoryContents = await Promise.all(
    (
      await listFiles(skeleton)
    ).map(async file => ({
      path: `skeleton/${file}`,
      base64Content: (
        await fs.readFile(path.join(skeleton, file))
      ).toString('base64'),
    })),
  );
  return { template, directoryContents };
}
