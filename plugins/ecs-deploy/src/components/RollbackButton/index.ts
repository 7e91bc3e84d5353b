export { RollbackButton } from './RollbackButton';
export type { RollbackButtonProps } from './RollbackButton';
