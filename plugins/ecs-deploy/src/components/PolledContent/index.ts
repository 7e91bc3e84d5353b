export { PolledContent, RefreshWarning } from './PolledContent';
export type { PolledState } from './PolledContent';
