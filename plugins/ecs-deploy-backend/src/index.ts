/**
 * ECS deployments for Backstage entities: status, promotion, rollback.
 *
 * @packageDocumentation
 */
export { ecsDeployPlugin as default } from './plugin';
