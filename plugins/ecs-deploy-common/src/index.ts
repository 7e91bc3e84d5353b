/**
 * Shared types, annotations and permissions of the ECS deploy plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './promotion';
export * from './types';
export * from './requests';
export * from './onboarding';
export * from './adoptionJobs';
export * from './deployments';
export * from './signals';
export * from './rules';
