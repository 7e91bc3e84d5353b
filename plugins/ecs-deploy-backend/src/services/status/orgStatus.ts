/*
 * The organisation-wide view: which services make the page, and their rows. A page ordered by
 * name, or by team without a name search, is chosen by the catalog (it reads that page's
 * entities only); one ordered by team with a search chooses among every entity; one filtered or
 * ordered by health or lag reads every state.
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  OrgStatus,
  ParsedOrgStatusQuery,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { EcsDeployConfig } from '../../config';
import type { OrgEntities, ServiceEntity } from '../catalog/types';
import { needsStates, pagesInCatalog, selectOrgRows } from './orgView';
import { serviceRows } from './serviceRows';
import type { ServiceStateStore, StatusUpdatesSource } from './types';

type Settings = Pick<
  EcsDeployConfig,
  'environments' | 'promotionPaths' | 'ownershipMappings' | 'index'
>;

interface Options {
  settings: Settings;
  store: ServiceStateStore;
  updates?: StatusUpdatesSource;
}

/** Rows of these entities, states included. */
async function orgRows(options: Options, entities: ServiceEntity[]) {
  const rows = await serviceRows(
    options.settings,
    options.store,
    entities.map(e => e.entity),
  );
  return rows.map((row, i) => ({ ...row, owner: entities[i].owner }));
}

/** The page chosen among every entity by name, title and owner; then only its states are read. */
async function pageOfAll(
  options: Options,
  entities: ServiceEntity[],
  query: ParsedOrgStatusQuery,
  target: string | undefined,
) {
  const stubs = entities.map(({ entity, owner }, index) => ({
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    owner,
    environments: {},
    lags: [],
    index,
  }));
  const page = selectOrgRows(stubs, query, target);
  return {
    total: page.total,
    rows: await orgRows(
      options,
      page.rows.map(stub => entities[stub.index]),
    ),
  };
}

/** Every service of every team the caller may read, filtered, sorted and paged. */
export async function readOrgStatus(
  options: Options,
  entities: OrgEntities,
  query: ParsedOrgStatusQuery,
): Promise<OrgStatus> {
  const { settings } = options;
  const target =
    settings.promotionPaths[0]?.to ?? settings.environments.at(-1)?.name;
  let page: Pick<OrgStatus, 'total' | 'rows'>;
  let teams: string[];
  if (pagesInCatalog(query)) {
    const [{ total, items }, owners] = await Promise.all([
      entities.page(query),
      entities.teams(),
    ]);
    page = { total, rows: await orgRows(options, items) };
    teams = owners;
  } else {
    const all = await entities.all();
    page = needsStates(query)
      ? selectOrgRows(await orgRows(options, all), query, target)
      : await pageOfAll(options, all, query, target);
    teams = [...new Set(all.map(e => e.owner))].sort();
  }
  return {
    environments: settings.environments.map(e => e.name),
    total: page.total,
    offset: query.offset,
    rows: page.rows,
    teams,
    statusUpdates: await options.updates?.updates(),
  };
}
