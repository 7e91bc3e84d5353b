export { EcsTable } from './EcsTable';
export type { EcsColumn, EcsTablePaging, EcsTableSort } from './EcsTable';
export { Ellipsis } from './Ellipsis';
