export { FreezeWindowNotices } from './FreezeWindowNotices';
