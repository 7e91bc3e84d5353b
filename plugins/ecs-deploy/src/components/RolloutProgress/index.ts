export { RolloutProgress } from './RolloutProgress';
export type { RolloutProgressProps } from './RolloutProgress';
export { ActionError } from './ActionError';
