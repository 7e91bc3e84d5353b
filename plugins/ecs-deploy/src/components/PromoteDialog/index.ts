export { PromoteDialog } from './PromoteDialog';
export type { PromoteDialogProps } from './PromoteDialog';
