export * from './useEcsDeployData';
export { useDeploymentSignal } from './useDeploymentSignal';
export { usePromotionPreviews } from './usePromotionPreviews';
export {
  DEFAULT_POLL_INTERVAL_SECONDS,
  usePageVisible,
  usePollIntervalMs,
  usePolling,
} from './usePolling';
export { rolloutStateOf, useRolloutProgress } from './useRolloutProgress';
export type {
  RolloutPhase,
  RolloutProgressOptions,
} from './useRolloutProgress';
