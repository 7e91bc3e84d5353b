import type { ReactNode } from 'react';

/** A column of an {@link EcsTable}. */
export interface EcsColumn<R> {
  id: string;
  title: string;
  render: (row: R) => ReactNode;
  /** The group (an environment) whose header spans this column and its neighbours of the group. */
  group?: { id: string; title: string };
  /** A divider on the left: the column starts a group. */
  groupStart?: boolean;
  /** The row's header cell (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Sentences: they wrap between words; every other value stays on one line. */
  wraps?: boolean;
  /** How many columns the row's cell spans from here; 0 = covered by the cell before it. */
  span?: (row: R) => number;
  /** The key the server sorts this column by. */
  sort?: string;
}

/** Sorting done by the server: the header shows it and asks for another. */
export interface EcsTableSort {
  by: string;
  order: 'asc' | 'desc';
  onChange: (by: string, order: 'asc' | 'desc') => void;
}

/** Paging done by the server. */
export interface EcsTablePaging {
  /** Zero-based. */
  page: number;
  pageSize: number;
  pageSizes: number[];
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}
