/*
 * The files of an adopted service: the roots render-service writes (versions, providers, lock
 * file, catalog-info.yaml), with a main.tf that calls ecs-service with the service's own settings
 * and imports what exists.
 */
import {
  entityRefOf,
  moduleSource,
  renderRootFiles,
  type RootSpec,
} from '../render';
import { hclValue } from './hcl';
import type { Adoption } from './moduleInputs';

function mainTf(spec: RootSpec, env: string, adoption: Adoption): string {
  const source = (m: string) => hclValue(moduleSource(spec.modulesSource, m));
  const inputs = Object.entries(adoption.inputs)
    .map(([k, v]) => `  ${k} = ${hclValue(v, '  ')}`)
    .join('\n');
  const imports = adoption.imports
    .map(i => `import {\n  to = ${i.to}\n  id = ${hclValue(i.id)}\n}\n`)
    .join('\n');
  const prefix = `/ecs-deploy/${env}/${spec.name}/image`;
  const containers = (
    adoption.inputs.containers as Array<{ name: string }>
  ).map(c => c.name);
  return `# ${
    spec.name
  } in ${env}: an existing ECS service, adopted as it runs (ecs-deploy:adopt-service).
# The import blocks bring it under this root; the first apply changes nothing in ECS but tags.

module "environment" {
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

${imports}
# The image parameters (the promotion contract): the adoption creates them from the images the
# service runs (ecs-deploy:claim-service) before the first apply, which imports them; those that do
# not exist yet (a dry run's plan) are created from the same images.
data "aws_ssm_parameters_by_path" "images" {
  path = ${hclValue(prefix)}
}

import {
  for_each = toset([
    for n in data.aws_ssm_parameters_by_path.images.names : basename(n)
    if contains(${hclValue(containers, '    ')}, basename(n))
  ])
  to = module.service.aws_ssm_parameter.image[each.key]
  id = "${prefix}/\${each.key}"
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.service.service_name
}
`;
}

/** Every file of the adopted service, keyed by workspace-relative POSIX path. */
export function renderAdoptionFiles(
  spec: RootSpec,
  adoptions: Record<string, Adoption>,
): Map<string, string> {
  return renderRootFiles(spec, env => mainTf(spec, env, adoptions[env]));
}
