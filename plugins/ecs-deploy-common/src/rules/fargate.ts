/*
 * Fargate task sizes: CPU units → the memory sizes (MiB) Fargate accepts with them. The same
 * table is in terraform-modules/ecs-service (`local.fargate_memory`); its tests check each pair.
 */

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) {
    out.push(v);
  }
  return out;
}

/** Valid Fargate task sizes: cpu units → allowed memory (MiB). @public */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The CPU sizes Fargate accepts, ascending. @public */
export const FARGATE_CPUS: readonly number[] = Object.keys(FARGATE_MEMORY)
  .map(Number)
  .sort((a, b) => a - b);

/** `512-4096 (step 1024)` or `512, 1024, 2048`: the allowed memory for a message. @public */
export function describeFargateMemory(cpu: number): string {
  const values = FARGATE_MEMORY[cpu] ?? [];
  if (values.length <= 3) {
    return values.join(', ');
  }
  const step = values[1] - values[0];
  return `${values[0]}-${values[values.length - 1]} (step ${step})`;
}

/**
 * Why `cpu`/`memory` is not a Fargate task size, or undefined when it is.
 *
 * @public
 */
export function fargateSizeProblem(
  cpu: number,
  memory: number,
): { field: 'cpu' | 'memory'; message: string } | undefined {
  if (!FARGATE_CPUS.includes(cpu)) {
    return {
      field: 'cpu',
      message: `must be one of ${FARGATE_CPUS.join(', ')}`,
    };
  }
  if (!FARGATE_MEMORY[cpu].includes(memory)) {
    return {
      field: 'memory',
      message: `is not a Fargate memory size for cpu ${cpu}; allowed: ${describeFargateMemory(
        cpu,
      )} MiB`,
    };
  }
  return undefined;
}
