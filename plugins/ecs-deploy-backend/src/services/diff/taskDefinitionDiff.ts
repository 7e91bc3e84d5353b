/*
 * What differs between two task definitions beyond the images: per container the environment
 * variable names, secret references, cpu and memory, ports, health check and command; and the
 * task's cpu and memory. A promotion changes only the images, so the dialog lists these as what
 * stays as the target has it. Environment values are compared but never shown. Pure.
 */
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type {
  ContainerDifferences,
  ContainerField,
  DefinitionDifferences,
  FieldDifference,
} from '@deployment-portal/plugin-ecs-deploy-common';

const NONE = '(none)';

const join = (items: string[]) => (items.length ? items.join(', ') : NONE);

/** Environment variables: the names that differ, marked by how (values are never shown). */
function environment(
  source: ContainerDefinition,
  target: ContainerDefinition,
): [string, string] | undefined {
  const a = new Map((source.environment ?? []).map(e => [e.name!, e.value]));
  const b = new Map((target.environment ?? []).map(e => [e.name!, e.value]));
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  const differing = names.filter(
    n => a.get(n) !== b.get(n) || a.has(n) !== b.has(n),
  );
  if (differing.length === 0) return undefined;
  const side = (own: Map<string, unknown>, other: Map<string, unknown>) =>
    join(
      differing
        .filter(n => own.has(n))
        .map(n => `${n} (${other.has(n) ? 'other value' : 'only here'})`),
    );
  return [side(a, b), side(b, a)];
}

/** Secrets: name → where the value comes from (a reference, not the value). */
const secrets = (c: ContainerDefinition) =>
  join((c.secrets ?? []).map(s => `${s.name} from ${s.valueFrom}`).sort());

const resources = (c: ContainerDefinition, field: 'cpu' | 'memory') => {
  if (field === 'cpu') return c.cpu === undefined ? NONE : `${c.cpu} units`;
  const parts = [
    c.memory !== undefined && `${c.memory} MiB`,
    c.memoryReservation !== undefined && `${c.memoryReservation} MiB reserved`,
  ].filter(Boolean) as string[];
  return join(parts);
};

const ports = (c: ContainerDefinition) =>
  join(
    (c.portMappings ?? []).map(
      p =>
        `${p.containerPort}/${p.protocol ?? 'tcp'}${
          p.hostPort !== undefined && p.hostPort !== p.containerPort
            ? ` (host ${p.hostPort})`
            : ''
        }`,
    ),
  );

function healthCheck(c: ContainerDefinition) {
  const h = c.healthCheck;
  if (!h) return NONE;
  const timing = [
    h.interval !== undefined && `every ${h.interval} s`,
    h.timeout !== undefined && `timeout ${h.timeout} s`,
    h.retries !== undefined && `${h.retries} retries`,
    h.startPeriod !== undefined && `start period ${h.startPeriod} s`,
  ].filter(Boolean);
  return `${(h.command ?? []).join(' ')}${
    timing.length ? ` (${timing.join(', ')})` : ''
  }`;
}

function command(c: ContainerDefinition) {
  const parts = [
    c.entryPoint?.length && `entry point ${c.entryPoint.join(' ')}`,
    c.command?.length && c.command.join(' '),
  ].filter(Boolean) as string[];
  return parts.length ? parts.join('; ') : '(image default)';
}

const FIELDS: Array<[ContainerField, (c: ContainerDefinition) => string]> = [
  ['secrets', secrets],
  ['cpu', c => resources(c, 'cpu')],
  ['memory', c => resources(c, 'memory')],
  ['ports', ports],
  ['healthCheck', healthCheck],
  ['command', command],
];

/** The fields of one container that differ (the image aside). */
export function containerDifferences(
  source: ContainerDefinition,
  target: ContainerDefinition,
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const env = environment(source, target);
  if (env)
    differences.push({ field: 'environment', source: env[0], target: env[1] });
  for (const [field, text] of FIELDS) {
    const [a, b] = [text(source), text(target)];
    if (a !== b) differences.push({ field, source: a, target: b });
  }
  return differences;
}

/** What differs between the source's and the target's task definitions, the images aside. */
export function taskDefinitionDiff(
  source: TaskDefinition,
  target: TaskDefinition,
): DefinitionDifferences {
  const task: FieldDifference[] = [];
  if ((source.cpu ?? NONE) !== (target.cpu ?? NONE)) {
    task.push({
      field: 'cpu',
      source: source.cpu ?? NONE,
      target: target.cpu ?? NONE,
    });
  }
  if ((source.memory ?? NONE) !== (target.memory ?? NONE)) {
    task.push({
      field: 'memory',
      source: source.memory ? `${source.memory} MiB` : NONE,
      target: target.memory ? `${target.memory} MiB` : NONE,
    });
  }
  const a = new Map((source.containerDefinitions ?? []).map(c => [c.name!, c]));
  const b = new Map((target.containerDefinitions ?? []).map(c => [c.name!, c]));
  const containers: ContainerDifferences[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [s, t] = [a.get(name), b.get(name)];
    if (!s || !t) {
      containers.push({
        container: name,
        onlyIn: s ? 'source' : 'target',
        differences: [],
      });
      continue;
    }
    const differences = containerDifferences(s, t);
    if (differences.length) containers.push({ container: name, differences });
  }
  return { task, containers };
}
