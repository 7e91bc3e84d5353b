/**
 * An ECS deploy promotion gate: promotions into the configured environments need an approved
 * change ticket in the organisation's ITSM.
 *
 * @packageDocumentation
 */
export { ecsDeployModuleChangeTicket as default } from './module';
