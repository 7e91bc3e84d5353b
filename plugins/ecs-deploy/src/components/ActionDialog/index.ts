export {
  ActionDialog,
  ActionDialogBody,
  ImageChangesTable,
} from './ActionDialog';
export type { ActionDialogBodyProps } from './ActionDialog';
