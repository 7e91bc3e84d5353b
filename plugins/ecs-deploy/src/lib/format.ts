import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import type {
  EcsDeployInfo,
  EnvironmentStatus,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** `family:revision` of a task definition. */
export function formatTaskDefinition(td?: TaskDefinitionRef): string {
  return td ? `${td.family}:${td.revision}` : '—';
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

/** "42 s", "3 min 5 s": a duration for people (a negative one counts as 0 s). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Units from the largest down, in seconds: the first that fits names a time for people. */
const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * When `iso` is, relative to `now`, for people (`Intl.RelativeTimeFormat` in the browser's
 * language by default): "12 seconds ago", "4 minutes ago", "yesterday", "in 3 hours",
 * "2 months ago". A dash when there is no time; an unreadable one as it is.
 */
export function formatRelativeTime(
  iso?: string,
  now: Date = new Date(),
  locale?: string,
): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = (date.getTime() - now.getTime()) / 1000;
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  // Within a minute ahead is the clock of this browser behind the server's: "now".
  return format.format(Math.min(0, Math.trunc(seconds)), 'second');
}

/** `family:revision` of a task definition ARN (`…:task-definition/family:revision`), or a dash. */
export function formatTaskDefinitionArn(arn?: string): string {
  return arn ? arn.split('/').pop() ?? arn : '—';
}

/** Who acted, for people: `user:default/alice` → `alice`; anything else (e.g. `system`) as is. */
export function actorName(actor: string): string {
  try {
    return humanizeEntityRef(
      parseEntityRef(actor, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      }),
      { defaultKind: 'user' },
    );
  } catch {
    return actor;
  }
}

/** The owner of an entity for people (`group:default/team-payments` → `team-payments`). */
export function ownerName(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    return undefined;
  }
  try {
    return humanizeEntityRef(parseEntityRef(owner, { defaultKind: 'group' }), {
      defaultKind: 'group',
    });
  } catch {
    return owner;
  }
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
