/*
 * What the promotion preview checks before any write (pre-flight), and what differs between the
 * source's and the target's task definitions beyond the images.
 * Part of the HTTP contract between `@deployment-portal/plugin-ecs-deploy-backend` and `@deployment-portal/plugin-ecs-deploy`.
 */

/** The pre-flight checks of a promotion, by name. @public */
export type PreflightCheckName =
  | 'image-digest'
  | 'task-roles'
  | 'log-group'
  | 'secrets'
  | 'target-group-port';

/** One pre-flight check's verdict: passed, or blocking with what to do about it. @public */
export type PreflightResult =
  | { check: PreflightCheckName; status: 'pass'; message: string }
  | {
      check: PreflightCheckName;
      status: 'block';
      message: string;
      fix: string;
    };

/** A field of a container that differs between the source and the target. @public */
export type ContainerField =
  | 'environment'
  | 'secrets'
  | 'cpu'
  | 'memory'
  | 'ports'
  | 'healthCheck'
  | 'command';

/** One difference: values are shown as text; environment values and secret values never. @public */
export interface FieldDifference {
  field: ContainerField;
  /** As the source (e.g. staging) has it. */
  source: string;
  /** As the target (e.g. prod) has it, and keeps after the promotion. */
  target: string;
}

/**
 * A container whose definition differs between the environments beyond its image: the promotion
 * changes the image only; everything listed here stays as the target has it.
 *
 * @public
 */
export interface ContainerDifferences {
  container: string;
  /** Only in one environment: nothing of it is compared. */
  onlyIn?: 'source' | 'target';
  differences: FieldDifference[];
}

/** What differs between the task definitions of the source and the target. @public */
export interface DefinitionDifferences {
  /** The task's cpu and memory. */
  task: FieldDifference[];
  /** Containers that differ (containers the same in both are not listed). */
  containers: ContainerDifferences[];
}
