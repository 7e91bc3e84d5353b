export { EcsTable } from './EcsTable';
export type { EcsColumn, EcsTablePaging, EcsTableSort } from './types';
export { Ellipsis } from './Ellipsis';
