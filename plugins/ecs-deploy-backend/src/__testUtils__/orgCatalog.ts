import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogEntityAccess } from '../services/catalog/CatalogEntityAccess';

/**
 * A user's org view entities over an in-memory catalog of `entities`, with the catalog's
 * page queries (`queried`) and full lists (`listed`) spied on.
 */
export function spiedOrgEntities(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const queried = jest.spyOn(catalog, 'queryEntities');
  const listed = jest.spyOn(catalog, 'getEntities');
  const org = new CatalogEntityAccess(
    catalog,
    CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('test'),
  ).orgEntities(mockCredentials.user());
  return { entities: org, queried, listed };
}
