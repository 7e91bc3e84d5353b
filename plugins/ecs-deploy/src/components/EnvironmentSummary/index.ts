export { EnvironmentSummary } from './EnvironmentSummary';
