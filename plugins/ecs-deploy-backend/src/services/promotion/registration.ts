import {
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

/**
 * Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. Everything
 * else is copied as is, so a field AWS adds later is kept, not silently dropped (the approach of
 * AWS's own aws-actions/amazon-ecs-deploy-task-definition).
 */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/**
 * The input registering the next revision of `td` with the images of the listed containers
 * replaced (others keep theirs) and the same tags.
 */
export function nextRevisionInput(
  td: TaskDefinition,
  tags: Tag[],
  images: Map<string, string>,
): RegisterTaskDefinitionCommandInput {
  const input: Record<string, unknown> = { ...td };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) {
    delete input[field];
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) delete input[key];
  }
  return {
    ...(input as unknown as RegisterTaskDefinitionCommandInput),
    containerDefinitions: (td.containerDefinitions ?? []).map(c =>
      c.name && images.has(c.name) ? { ...c, image: images.get(c.name) } : c,
    ),
    tags: tags.length ? tags : undefined,
  };
}
