export { RollbackDialog } from './RollbackDialog';
export type { RollbackDialogProps } from './RollbackDialog';
