import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the ECS deploy plugins. */
  ecsDeploy?: {
    /**
     * The deployment environments, in order (the portal shows them left to right).
     * Credentials come from @backstage/integration-aws-node (`aws.mainAccount` / `aws.accounts`,
     * with a role per account).
     */
    environments: Array<{
      /** Short name used in URLs, annotations and tags, e.g. `staging`. Pattern ^[a-z][a-z0-9-]{1,20}$ (as the Terraform modules) */
      name: string;
      /** Display name, e.g. `Production`. Defaults to the name. */
      title?: string;
      /** AWS region of the cluster, e.g. `eu-west-1`. */
      region: string;
      /** ECS cluster name. */
      cluster: string;
      /** AWS account id; selects the credentials (and role) configured in `aws.accounts`. */
      accountId?: string;
      /** Custom AWS endpoint (the local emulator). Leave unset for real AWS. */
      endpoint?: string;
      /** Base URL of the AWS console, default https://<region>.console.aws.amazon.com */
      consoleBaseUrl?: string;
      /**
       * Extra log links. Placeholders: {service} {environment} {cluster} {region} {logGroup}
       * {entityName} {entityNamespace} {entityKind}
       */
      logLinks?: Array<{ title: string; urlTemplate: string }>;
    }>;
    /** Allowed promotions, e.g. staging → prod. */
    promotionPaths?: Array<{
      from: string;
      to: string;
      /** Refuse to promote while the source is not healthy or still rolling out. Default true. */
      requireHealthySource?: boolean;
      /**
       * Soak time: the source must have run its images this long (since its deployment
       * completed) before they may be promoted, e.g. `{ minutes: 30 }`. Default none.
       */
      minSourceAge?: HumanDuration | string;
      /** @deprecated Use `minSourceAge`. */
      minSourceAgeMinutes?: number;
      /**
       * After a promotion, the target must be rolled out (deployment COMPLETED, every task
       * running) within this, else the promotion failed. Default `followThrough.verifyTimeout`.
       */
      verifyTimeout?: HumanDuration | string;
      /** @deprecated Use `verifyTimeout`. */
      verifyTimeoutMinutes?: number;
      /**
       * Roll back automatically (actor `system`, audited) when the rollout fails. Default true for
       * a path into the last environment, false otherwise.
       */
      autoRollback?: boolean;
      /** Promotions on this path are requested by an owner and approved by another person. */
      approval?: {
        required: boolean;
        /** Who may approve: `owners` (the entity's owners and the admin groups; never the requester). */
        approvers?: 'owners';
        /** A request not decided by then expires. Default `{ hours: 24 }`. */
        expiresAfter?: HumanDuration | string;
        /** @deprecated Use `expiresAfter`. */
        expiresAfterHours?: number;
      };
    }>;
    /** Time windows during which promotions and rollbacks into the listed environments are refused. */
    freezeWindows?: Array<{
      name: string;
      environments: string[];
      reason?: string;
      /** ISO-8601 start and end of a one-off window. */
      start?: string;
      end?: string;
      /**
       * A weekly window: days like `fri`, `sat`; times `HH:MM` (default the whole day) in
       * `timeZone` (IANA, e.g. `Europe/Berlin`; default `UTC`). A window whose `to` is not after
       * its `from` (e.g. 22:00 → 06:00) ends the next day.
       */
      weekly?: {
        days: string[];
        from?: string;
        to?: string;
        timeZone?: string;
      };
    }>;
    /**
     * Ownership of ECS services is proven by their `backstage:entity-ref` tag (Terraform writes it).
     * Services that predate the tag may be mapped to an entity here, by an admin (this file);
     * every promotion or rollback that relies on a mapping says so in the audit trail.
     */
    ownership?: {
      mappings?: Array<{
        /** Full entity ref, e.g. component:default/payments-api. */
        entity: string;
        /** The environment the service runs in. */
        environment: string;
        /** The ECS service name. */
        service: string;
      }>;
    };
    permissions?: {
      /** Group refs whose members may promote and roll back any entity. */
      adminGroups?: string[];
    };
    /** The status cache's policy: every duration a Backstage HumanDuration, e.g. `{ seconds: 10 }`. */
    cache?: {
      /** How long a status read from ECS is served before ECS is asked again. Default 10 s. */
      statusTtl?: HumanDuration | string;
      /** @deprecated Use `statusTtl`. */
      statusTtlSeconds?: number;
      /** How long a status is kept to be served (marked stale) when ECS cannot be read. Default 1 h. */
      staleTtl?: HumanDuration | string;
      /** @deprecated Use `staleTtl`. */
      staleTtlSeconds?: number;
      /** How long a task definition revision (immutable) is cached. Default 7 days. */
      taskDefinitionTtl?: HumanDuration | string;
      /** @deprecated Use `taskDefinitionTtl`. */
      taskDefinitionTtlSeconds?: number;
      /**
       * Past its TTL by up to this, an entry is served at once while one reader (on any replica)
       * refreshes it; later, readers wait for ECS. Default 3 × `statusTtl`.
       */
      serveWhileRefreshing?: HumanDuration | string;
      /** A read that refreshes anything also refreshes what falls due within this. Default ½ `statusTtl`. */
      refreshAhead?: HumanDuration | string;
      /** Entries each replica keeps in memory in front of the shared cache. Default 20000. */
      localEntries?: number;
      /** A cache store operation slower than this counts as the store being down. Default 2 s. */
      storeTimeout?: HumanDuration | string;
      /** While the store is down, it is probed this often. Default 5 s. */
      storeRetryAfter?: HumanDuration | string;
    };
    aws?: {
      /** Concurrent ECS calls per account and region. Default 8. */
      maxConcurrentCalls?: number;
      /** SDK attempts per call, with adaptive retries. Default 5. */
      maxAttempts?: number;
      /** Connection timeout of one AWS request. Default 3 s. */
      connectTimeout?: HumanDuration | string;
      /** @deprecated Use `connectTimeout`. */
      connectTimeoutSeconds?: number;
      /** Timeout of one AWS request (attempt). Default 5 s. */
      requestTimeout?: HumanDuration | string;
      /** @deprecated Use `requestTimeout`. */
      requestTimeoutSeconds?: number;
      /**
       * A status read answers within this, with the last good (stale) state and a per-environment
       * error when AWS is slower. Default 8 s.
       */
      readDeadline?: HumanDuration | string;
      /** @deprecated Use `readDeadline`. */
      readDeadlineSeconds?: number;
      /**
       * A promotion or rollback that has not finished after this is reported as failed or unknown
       * (its eventual outcome appears in the history). Default 30 s.
       */
      writeDeadline?: HumanDuration | string;
      /** @deprecated Use `writeDeadline`. */
      writeDeadlineSeconds?: number;
    };
    /** Following promotions and rollbacks to their outcome (one follower across replicas). */
    followThrough?: {
      /** How often the rollouts in progress are checked. Default 5 s. */
      checkInterval?: HumanDuration | string;
      /** @deprecated Use `checkInterval`. */
      checkIntervalSeconds?: number;
      /** Deadline of paths that name none, and of rollbacks. Default 15 min. */
      verifyTimeout?: HumanDuration | string;
      /** @deprecated Use `verifyTimeout`. */
      verifyTimeoutMinutes?: number;
    };
    /** Promotion and rollback locks expire after this (a crashed replica). Default 15 min. */
    lockTimeout?: HumanDuration | string;
    /** @deprecated Use `lockTimeout`. */
    lockTimeoutSeconds?: number;
    /** The logs view's reads of CloudWatch Logs (permission `ecs-deploy.logs.read`). */
    logs?: {
      /** Lines per answer when the view names no limit (at most 500). Default 100. */
      pageSize?: number;
      /** How far back one read searches before it answers with a token to go further. Default 24 h. */
      window?: HumanDuration | string;
      /** @deprecated Use `window`. */
      windowHours?: number;
      /** FilterLogEvents calls one read may make (at most 50). Default 10. */
      maxCallsPerRead?: number;
      /** Reads per user and minute (shared by the replicas when the cache is Redis). Default 60. */
      readsPerMinute?: number;
      /** Reads a user may make at once before the per-minute rate applies. Default 20. */
      burst?: number;
    };
  };
}
