export { EnvironmentTimeline } from './EnvironmentTimeline';
