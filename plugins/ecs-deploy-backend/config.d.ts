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
    /** Onboarding of the ECS services that predate the portal. */
    onboarding?: {
      /** How an unclaimed service's existing tags suggest its owner. */
      ownerTags?: {
        /** Tag keys read in order; the first present one counts. Default: team, owner. */
        keys?: string[];
        /**
         * Tag value → group ref, e.g. `payments: group:default/team-payments`. A value not listed
         * suggests `group:default/<value>` when the catalog has that group.
         */
        groups?: { [value: string]: string };
      };
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
      /**
       * How long a task definition revision (immutable) stays in the shared cache after a replica
       * last read it there (revisions in use never expire). Default 7 days.
       */
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
      /** Task definition revisions each replica keeps in memory (least recently used go). Default 5000. */
      taskDefinitionEntries?: number;
      /** A cache store operation slower than this counts as the store being down. Default 2 s. */
      storeTimeout?: HumanDuration | string;
      /** While the store is down, it is probed this often. Default 5 s. */
      storeRetryAfter?: HumanDuration | string;
    };
    aws?: {
      /**
       * Concurrent AWS calls per account and region (SQS's long polls aside); an ECS event's
       * reads go first. Default 8.
       */
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
      /**
       * The share of ECS's documented request rates (per account, region and action category,
       * e.g. DescribeServices 20 a second) that the portal's replicas use together, counted in
       * Redis when the cache is Redis. Calls beyond it wait instead of being throttled. With `events`, a fifth of the DescribeServices share is kept for the reads
       * ECS events ask for, which also go first. Default 0.75.
       */
      ecsRateShare?: number;
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
    /** Promotion gates added by modules (ecsDeployGatesExtensionPoint). */
    gates?: {
      /**
       * How long one gate may take to answer before it blocks the promotion: shorter than
       * `aws.writeDeadline`. Default 5 s, or half the write deadline when that is shorter.
       */
      timeout?: HumanDuration | string;
    };
    /**
     * Verification after every promotion and every deployment the portal notices in a watched
     * environment: CloudWatch alarms, an HTTP check and metric analysis. `defaults` apply to every
     * environment, `environments.<name>` over them; an entity's `ecs-deploy.io/verify.*`
     * annotations over both (see the backend's README).
     */
    verification?: {
      defaults?: EcsDeployVerificationSettings;
      /** Per environment name, over `defaults`. */
      environments?: { [environment: string]: EcsDeployVerificationSettings };
      /** Deployments the portal does not make (CI's), noticed and verified. */
      watch?: {
        /** Default: the environments no promotion path leads to (staging). */
        environments?: string[];
        /** How often the watched environments are looked at. Default 30 s. */
        interval?: HumanDuration | string;
        /** A deployment older than this when first seen is not verified. Default 30 min. */
        lookback?: HumanDuration | string;
      };
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
    /**
     * ECS events (EventBridge rules into SQS: terraform-modules/portal-events) instead of polling:
     * each event refreshes its service's status and open pages refetch. One consumer per queue
     * across replicas, at-least-once. While a queue cannot be read, or changes arrive without
     * events, status falls back to polling (`cache.statusTtl`).
     */
    events?: {
      queues: Array<{
        /** e.g. https://sqs.eu-west-1.amazonaws.com/111111111111/ecs-deploy-events */
        queueUrl: string;
        region: string;
        /** Whose credentials (aws.accounts) read it; default the main account. */
        accountId?: string;
        /** Only for the local emulator; leave unset for real AWS. */
        endpoint?: string;
      }>;
      /** The status TTL while events flow (polling as a safety net). Default 5 min. */
      statusTtl?: HumanDuration | string;
      /** Long polling: how long a receive waits for messages (0 to 20 s). Default 10 s. */
      waitTime?: HumanDuration | string;
      /** A received message not handled within this is received again. Default 60 s. */
      visibilityTimeout?: HumanDuration | string;
      /** Receives of up to 10 messages sent at once per cycle (at most 10). Default 3. */
      receiveBatches?: number;
      /**
       * The consumer's claim on a queue: after a replica dies, another takes over within this.
       * Longer than waitTime plus aws.readDeadline. Default waitTime + readDeadline + 5 s.
       */
      claimTtl?: HumanDuration | string;
      /** A change found by the safety net with no event for its service within this of it counts as missed. Default 60 s. */
      missedChangeGrace?: HumanDuration | string;
    };
    /**
     * The warm index: one replica at a time lists every service of every environment and keeps
     * its status in the shared cache (DescribeServices in batches of 10, rate-limited), so no
     * viewer waits for ECS: task definitions are read once per revision, ever, and a first view
     * costs no cold read. While it runs, team and org views serve what it holds (an entry past
     * the TTL plus `cache.serveWhileRefreshing` marked stale and refreshed behind).
     *
     * Each run refreshes what falls due before the next. With `events` (5-min TTL) that is about
     * a fifth per minute: at 5,000 services × 3 environments, ~300 DescribeServices a minute
     * (5/s in one account and region, ~1.7/s per account with one account per environment),
     * ListServices every 5 min. Polling (10 s TTL) makes every service due on every run: 1,500
     * DescribeServices and 150 ListServices per pass, at `callsPerSecond` 5 a pass of 330 s in
     * one account (110 s per account with three), 18,000 calls an hour per account and region
     * (a quarter of ECS's sustained 20/s for service reads) whether anyone looks or not; entries
     * then age past polling's 40 s serve window, so views mark most rows stale. Keeping them
     * within it would take ~41 calls/s in one account (14/s per account): above or most of ECS's
     * sustained rate. Hence it is on by itself only with `events`; polling deployments of a few
     * hundred services (a pass of seconds) may turn it on with an `interval` of about 20 s, as
     * the local app-config.yaml does. The first run also reads every task definition at the
     * portal's share of ECS's 20/s (15,000 revisions: ~17 min in one account, ~6 min in three).
     */
    index?: {
      /** Default: on when `events` is configured, else off. */
      enabled?: boolean;
      /** How often it runs. Default 1 min (with polling, keep it under `statusTtl` + `serveWhileRefreshing`). */
      interval?: HumanDuration | string;
      /** Its own ListServices and DescribeServices calls per second, per account and region. Default 5. */
      callsPerSecond?: number;
    };
    /**
     * Deployment strategies (canary, linear, blue/green: the service's SSM parameter
     * `/ecs-deploy/<environment>/<name>/deployment-strategy`, applied on promotion and rollback).
     */
    strategies?: {
      /**
       * How long a hold may keep a deployment before its next traffic step; ECS rolls back a
       * deployment still held then (and one the portal could not reach that long). 1 minute to
       * 14 days. Default 1 hour.
       */
      holdLimit?: HumanDuration | string;
    };
    /** The pre-flight checks of a promotion (image digest, task roles, log group, secrets, target group port). */
    preflight?: {
      /** A preview reuses a check's verdict this long (a promotion checks again). Default 30 s. */
      cacheTtl?: HumanDuration | string;
      /** The checks of one preview or promotion answer within this. Default `aws.readDeadline`. */
      timeout?: HumanDuration | string;
      /**
       * Block a promotion whose image no running task of the source reports a digest for (so that
       * the target runs exactly what the source ran). Default true; false promotes by the tag.
       */
      requireDigest?: boolean;
    };
  };
}

/** One level of `ecsDeploy.verification` (defaults, or an environment's). */
interface EcsDeployVerificationSettings {
  /** Verify at all. Default true. */
  enabled?: boolean;
  /** After the rollout, alarms are watched this long, then metrics analysed over it. Default 5 min. */
  window?: HumanDuration | string;
  /** Time between two measurements of a check. Default 30 s. */
  interval?: HumanDuration | string;
  /** A check with more inconclusive measurements than this is inconclusive (the verification is held). Default 3. */
  inconclusiveLimit?: number;
  /** The ecs-service module's alarms (`<service>-<environment>-…`) and the service's deployment alarms, plus `names`. */
  alarms?: {
    enabled?: boolean;
    /** More alarm names to watch. */
    names?: string[];
  };
  /** An HTTP check of the new revision. */
  http?: {
    /** URL template: {service} {environment} {cluster} {region} {account}; `none` for no HTTP check. */
    url?: string;
    /** Default 200. */
    expectedStatus?: number;
    /** A regular expression the body must match. */
    bodyMatch?: string;
    /** Consecutive successes that pass it. Default 3. */
    successes?: number;
    /** Wrong answers tolerated; one more fails it. Default 2. */
    failureLimit?: number;
    /** Not passed this long after the rollout: inconclusive, or failed after a wrong answer. Default 5 min. */
    timeout?: HumanDuration | string;
    /** One request's timeout (then the measurement is inconclusive). Default 5 s. */
    requestTimeout?: HumanDuration | string;
  };
  /** GetMetricData over the window, on the service's load balancer target group. */
  metrics?: {
    enabled?: boolean;
    /** The highest 5xx share of the requests, in %. Default 1. */
    maxErrorRatePercent?: number;
    /** The highest p95 response time, in ms. Default 500. */
    maxLatencyP95Ms?: number;
    /** Fewer requests in the window: insufficient data (inconclusive). Default 10. */
    minRequests?: number;
  };
}
