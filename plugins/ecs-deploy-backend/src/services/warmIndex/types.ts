/*
 * The warm index: every ECS service of every environment, kept warm in the status cache.
 */

/** The ECS services of each configured environment, as the warm index last listed them. */
export interface ServiceIndex {
  /** The service names of an environment (unclaimed-service discovery, say); 404 for an unknown one. */
  list(environment: string): Promise<string[]>;
}
