/**
 * The ECS deploy plugin for the new frontend system.
 *
 * @packageDocumentation
 */
export { ecsDeployPlugin as default } from './alpha/plugin';
