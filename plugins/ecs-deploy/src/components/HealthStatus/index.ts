export { HealthStatus, HEALTH_LABELS, StatusLine } from './HealthStatus';
export type { StatusKind } from './HealthStatus';
