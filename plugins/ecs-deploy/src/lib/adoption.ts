/*
 * Adoption from the Unclaimed services page: who may adopt a service (as the backend decides it),
 * the adoption template's address with the form filled in, and the import template's for what a
 * bulk adoption job adopted. Pure.
 */
import {
  serviceNameProblem,
  type Adopter,
  type AdoptionJobItem,
  type AdoptionRequest,
  type UnclaimedService,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** The template "Adopt an existing ECS service" (`templates/adopt-ecs-service`). */
export const ADOPT_TEMPLATE = 'adopt-ecs-service';

/** The template "Import adopted services into Terraform" (`templates/import-ecs-services`). */
export const IMPORT_TEMPLATE = 'import-ecs-services';

/** Whether the user may adopt `service`, and why not. */
export type AdoptDecision =
  /** `owner`: the group to adopt it for; none when an admin chooses one in the template. */
  { allowed: true; owner?: string } | { allowed: false; reason: string };

const shortRef = (ref: string) => ref.replace(/^group:default\//, '');

/**
 * A member of the suggested owner group may adopt the service for that group; an admin may adopt
 * any; a service whose ECS name breaks the naming rules cannot be adopted under it (its
 * component takes the ECS name).
 */
export function adoptDecision(
  service: Pick<UnclaimedService, 'serviceName' | 'suggestedOwner'>,
  adopter: Adopter,
): AdoptDecision {
  const problem = serviceNameProblem(service.serviceName);
  if (problem) {
    return {
      allowed: false,
      reason: `Its name ${problem}: rename the ECS service first`,
    };
  }
  const owner = service.suggestedOwner;
  if (owner && adopter.groups.includes(owner)) {
    return { allowed: true, owner };
  }
  if (adopter.admin) {
    return { allowed: true, owner };
  }
  return {
    allowed: false,
    reason: owner
      ? `Only members of ${shortRef(owner)} or an admin may adopt it`
      : 'Its tags suggest no owner: only an admin may adopt it',
  };
}

/** The adoption template's form, filled in for one service. */
export function adoptTemplatePath(request: {
  serviceName: string;
  environments: string[];
  owner?: string;
}): string {
  const formData = {
    name: request.serviceName,
    environments: request.environments,
    ...(request.owner && { owner: request.owner }),
    description: `${request.serviceName}, adopted from ECS`,
  };
  return `/create/templates/default/${ADOPT_TEMPLATE}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/**
 * The adoptions of a selection of rows (one row per service and environment): one per service
 * name, in each environment selected, for its suggested owner; rows without one are left out.
 */
export function adoptionsOf(
  rows: Array<
    Pick<UnclaimedService, 'serviceName' | 'environment' | 'suggestedOwner'>
  >,
): Array<
  Required<Pick<AdoptionRequest, 'serviceName' | 'environments' | 'owner'>>
> {
  const byName = new Map<string, { environments: string[]; owner: string }>();
  for (const row of rows) {
    if (!row.suggestedOwner) continue;
    const one = byName.get(row.serviceName) ?? {
      environments: [],
      owner: row.suggestedOwner,
    };
    if (!one.environments.includes(row.environment)) {
      one.environments.push(row.environment);
    }
    byName.set(row.serviceName, one);
  }
  return [...byName].map(([serviceName, one]) => ({ serviceName, ...one }));
}

/** One import of a job's adopted services: the import template's form, filled in. */
export interface TerraformImport {
  owner: string;
  environments: string[];
  names: string[];
  path: string;
}

/**
 * The imports of a bulk adoption job's services that are adopted (by the job or before it), in
 * the job's order: one per owner and set of environments, since the import template imports
 * services of one owner in the same environments.
 */
export function terraformImportsOf(
  items: Array<
    Pick<AdoptionJobItem, 'serviceName' | 'environments' | 'owner' | 'status'>
  >,
): TerraformImport[] {
  const groups = new Map<string, Omit<TerraformImport, 'path'>>();
  for (const item of items) {
    if (item.status !== 'adopted' && item.status !== 'already-adopted') {
      continue;
    }
    const key = JSON.stringify([item.owner, item.environments]);
    const group = groups.get(key) ?? {
      owner: item.owner,
      environments: item.environments,
      names: [],
    };
    group.names.push(item.serviceName);
    groups.set(key, group);
  }
  return [...groups.values()].map(group => ({
    ...group,
    path: `/create/templates/default/${IMPORT_TEMPLATE}?formData=${encodeURIComponent(
      JSON.stringify({
        names: group.names,
        owner: group.owner,
        environments: group.environments,
      }),
    )}`,
  }));
}
