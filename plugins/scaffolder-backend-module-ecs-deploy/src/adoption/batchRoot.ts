/*
 * One Terraform root that imports many adopted services of one environment at once (a bulk
 * import): each service's module calls, exactly as its own root has them, become a module
 * `<name>` of the batch root, and its import blocks (which only a root may hold) address them
 * under `module.<name>.`. One init, one apply and one plan then cover every service: the AWS
 * provider starts a handful of times instead of a handful of times per service. Afterwards the
 * batch state is split into each service's own state (stateSplit), where its own root finds it.
 */
import { hclString, renderRootFiles, type RootSpec } from '../render';
import type { Adoption } from './moduleInputs';
import { adoptionImportsTf, adoptionModulesTf } from './renderAdoption';

/** One service of a batch: its root's spec and what is imported in the batch's environment. */
export interface BatchService {
  spec: RootSpec;
  adoption: Adoption;
}

/** The batch root's directory, relative to the batch directory (as a service's root is). */
export const batchRootDir = (env: string) => `terraform/${env}`;

/** A service's module directory in the batch: as deep as a root, so module sources resolve alike. */
const moduleDir = (name: string) => `modules/${name}`;

/**
 * The files of the batch directory of `env`, keyed by POSIX path: `terraform/<env>` (the batch
 * root: providers and versions as a service's own root has them, with a local backend) and
 * `modules/<name>` per service.
 */
export function renderBatchFiles(
  env: string,
  services: BatchService[],
): Map<string, string> {
  const [first] = services;
  const batchSpec: RootSpec = {
    ...first.spec,
    name: `adopt-batch`,
    environments: [env],
    // The batch state is split into the services' states afterwards; it is never shared.
    backend: { type: 'local' },
    targetDirectory: '',
  };
  const files = renderRootFiles(batchSpec, () => batchMainTf(env, services));
  files.delete('catalog-info.yaml');
  for (const { spec, adoption } of services) {
    files.set(
      `${moduleDir(spec.name)}/main.tf`,
      adoptionModulesTf(spec, env, adoption),
    );
  }
  return files;
}

function batchMainTf(env: string, services: BatchService[]): string {
  const blocks = services.map(({ spec, adoption }) => {
    const name = spec.name;
    return `module ${hclString(name)} {
  source = ${hclString(`../../${moduleDir(name)}`)}
}

# ${name}'s own root's outputs, split into its state with the rest.
output ${hclString(name)} {
  value = module.${name}
}

${adoptionImportsTf(spec, env, adoption, `module.${name}.`, name)}`;
  });
  return `# A bulk import of ${
    services.length
  } adopted services in ${env} (ecs-deploy:import-services).
# Each module is a service's own root's module calls; its state is split into that root's state.

${blocks.join('\n')}`;
}
