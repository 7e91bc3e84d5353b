/*
 * The files of an adopted service: the roots render-service writes (versions, providers, lock
 * file, catalog-info.yaml), with a main.tf that calls ecs-service with the service's own settings
 * and imports what exists. The module calls and the imports are rendered apart, so that a bulk
 * import (batchRoot) calls the same modules under a prefix.
 */
import {
  entityRefOf,
  moduleSource,
  renderRootFiles,
  type RootSpec,
} from '../render';
import { hclValue } from './hcl';
import type { Adoption } from './moduleInputs';

/** The module calls and outputs of an adopted service's root (no imports, no providers). */
export function adoptionModulesTf(
  spec: RootSpec,
  env: string,
  adoption: Adoption,
  modulesSource = spec.modulesSource,
): string {
  const source = (m: string) => hclValue(moduleSource(modulesSource, m));
  const inputs = Object.entries(adoption.inputs)
    .map(([k, v]) => `  ${k} = ${hclValue(v, '  ')}`)
    .join('\n');
  return `module "environment" {
  source = ${source('ecs-environment-ref')}

  environment = ${hclValue(env)}
}

module "service" {
  source = ${source('ecs-service')}

  name        = ${hclValue(spec.name)}
  entity_ref  = ${hclValue(entityRefOf(spec.name))}
  environment = module.environment.service_environment

${inputs}
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.service.service_name
}
`;
}

/**
 * The import blocks of an adopted service; `at` prefixes the addresses (`module.<name>.` in a
 * bulk import) and `data` names the data source that lists its image parameters.
 */
export function adoptionImportsTf(
  spec: RootSpec,
  env: string,
  adoption: Adoption,
  at = '',
  data = 'images',
): string {
  const imports = adoption.imports
    .map(i => `import {\n  to = ${at}${i.to}\n  id = ${hclValue(i.id)}\n}\n`)
    .join('\n');
  const prefix = `/ecs-deploy/${env}/${spec.name}/image`;
  const containers = (
    adoption.inputs.containers as Array<{ name: string }>
  ).map(c => c.name);
  return `${imports}
# The image parameters (the promotion contract): the adoption creates them from the images the
# service runs (ecs-deploy:claim-service) before the first apply, which imports them; those that do
# not exist yet (a dry run's plan) are created from the same images.
data "aws_ssm_parameters_by_path" ${hclValue(data)} {
  path = ${hclValue(prefix)}
}

import {
  for_each = toset([
    for n in data.aws_ssm_parameters_by_path.${data}.names : basename(n)
    if contains(${hclValue(containers, '    ')}, basename(n))
  ])
  to = ${at}module.service.aws_ssm_parameter.image[each.key]
  id = "${prefix}/\${each.key}"
}
`;
}

function mainTf(spec: RootSpec, env: string, adoption: Adoption): string {
  return `# ${
    spec.name
  } in ${env}: an existing ECS service, adopted as it runs (ecs-deploy:adopt-service).
# The import blocks bring it under this root; the first apply changes nothing in ECS but tags.

${adoptionModulesTf(spec, env, adoption)}
${adoptionImportsTf(spec, env, adoption)}`;
}

/** Every file of the adopted service, keyed by workspace-relative POSIX path. */
export function renderAdoptionFiles(
  spec: RootSpec,
  adoptions: Record<string, Adoption>,
): Map<string, string> {
  return renderRootFiles(spec, env => mainTf(spec, env, adoptions[env]));
}
