/**
 * Extension points of the ECS deploy backend plugin (promotion gates, notifiers) and the
 * permission rules of promotion targets, for backend modules and permission policies.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './gates';
export * from './notifiers';
export * from './permissions';
