/*
 * The entities that point at ECS services with the annotations of AWS's ECS plugin for Backstage
 * (`aws.amazon.com/amazon-ecs-service-arn`, `-tags`): their services are adoptable from them,
 * by their owners.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AWS_ECS_SERVICE_ARN_ANNOTATION,
  AWS_ECS_SERVICE_TAGS_ANNOTATION,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { normalRef } from './suggestions';

/** Every entity with one of the annotations (asked as the plugin: read rules hide none). */
export async function annotatedEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
}): Promise<Entity[]> {
  const { catalog, auth } = options;
  const { items } = await catalog.getEntities(
    {
      filter: [
        {
          [`metadata.annotations.${AWS_ECS_SERVICE_ARN_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${AWS_ECS_SERVICE_TAGS_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items;
}

/** The entity's owner when it is a group (`spec.owner`, default kind group). */
export function groupOwnerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  const ref = typeof owner === 'string' ? normalRef(owner, 'group') : undefined;
  return ref?.startsWith('group:') ? ref : undefined;
}
