export interface Config {
  /** Configuration of the ECS deploy plugins. */
  ecsDeploy?: {
    /**
     * The deployment environments, in order (the portal shows them left to right).
     * Credentials come from @backstage/integration-aws-node (`aws.mainAccount` / `aws.accounts`,
     * with a role per account).
     */
    environments: Array<{
      /** Short name used in URLs, annotations and tags, e.g. `staging`. Pattern ^[a-z][a-z0-9-]{0,30}$ */
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
    }>;
    /** Time windows during which promotions and rollbacks into the listed environments are refused. */
    freezeWindows?: Array<{
      name: string;
      environments: string[];
      reason?: string;
      /** ISO-8601 start and end of a one-off window. */
      start?: string;
      end?: string;
      /** A weekly window (UTC): days like `fri`, `sat`, times `HH:MM`. */
      weekly?: { days: string[]; from?: string; to?: string };
    }>;
    permissions?: {
      /** Group refs whose members may promote and roll back any entity. */
      adminGroups?: string[];
    };
    cache?: {
      /** How long a status read from ECS is served before ECS is asked again. Default 10. */
      statusTtlSeconds?: number;
      /** How long a status is kept to be served (marked stale) when ECS cannot be read. Default 3600. */
      staleTtlSeconds?: number;
    };
    aws?: {
      /** Concurrent ECS calls per account and region. Default 8. */
      maxConcurrentCalls?: number;
      /** SDK attempts per call, with adaptive retries. Default 5. */
      maxAttempts?: number;
    };
    /** Promotion and rollback locks expire after this many seconds (a crashed replica). Default 900. */
    lockTimeoutSeconds?: number;
  };
}
