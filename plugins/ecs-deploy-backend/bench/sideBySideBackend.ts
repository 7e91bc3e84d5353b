/*
 * The backend of bench:side-by-side: the catalog, permissions with our policy, our ECS deploy
 * plugin and AWS's ECS plugin (@aws/amazon-ecs-plugin-for-backstage-backend) in one process, so
 * both read the same services through the same catalog. Started by the dev kit (startBackend's
 * `entry`) with the portal's app-config.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@deployment-portal/plugin-permission-backend-module-ecs-deploy-policy'
  ),
);
backend.add(import('@deployment-portal/plugin-ecs-deploy-backend'));
backend.add(import('@aws/amazon-ecs-plugin-for-backstage-backend'));
backend.start();
