export { PromoteButton } from './PromoteButton';
export type { PromoteButtonProps } from './PromoteButton';
