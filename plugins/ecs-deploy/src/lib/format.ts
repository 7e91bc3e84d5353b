import { ResponseError } from '@backstage/errors';
import type {
  ContainerImage,
  EcsDeployInfo,
  EnvironmentStatus,
  TaskDefinitionRef,
} from '@internal/plugin-ecs-deploy-common';

/** `family:revision` of a task definition. */
export function formatTaskDefinition(td?: TaskDefinitionRef): string {
  return td ? `${td.family}:${td.revision}` : '—';
}

/** The tag of an image, else its short digest, else the whole reference. */
export function formatImageVersion(image: ContainerImage): string {
  if (image.tag) {
    return image.tag;
  }
  const digest = image.digest ?? image.image.split('@')[1];
  if (digest) {
    return digest.slice(0, 19);
  }
  return image.image;
}

/** A readable local date-time, or a dash. */
export function formatTime(iso?: string): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString();
}

/**
 * The message to show for an error: for a backend error the server's own message (e.g. why a
 * guard refused), else the error message.
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status code of a backend error, if any. */
export function errorStatus(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/** Environment statuses in the order of `/info` (unknown environments last). */
export function sortEnvironments(
  environments: EnvironmentStatus[],
  info?: EcsDeployInfo,
): EnvironmentStatus[] {
  if (!info) {
    return environments;
  }
  const order = new Map(info.environments.map((e, i) => [e.name, i]));
  return [...environments].sort(
    (a, b) =>
      (order.get(a.environment) ?? Number.MAX_SAFE_INTEGER) -
      (order.get(b.environment) ?? Number.MAX_SAFE_INTEGER),
  );
}

/** The display title of an environment. */
export function environmentTitle(name: string, info?: EcsDeployInfo): string {
  return info?.environments.find(e => e.name === name)?.title ?? name;
}
