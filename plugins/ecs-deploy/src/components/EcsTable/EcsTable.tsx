import { useMemo } from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import {
  EcsTableContext,
  tableComponents,
  useEcsTableStyles,
  type EcsTableContextValue,
  type Row,
} from './parts';
import type { EcsColumn, EcsTablePaging, EcsTableSort } from './types';

/**
 * Backstage's `Table` with what our views need on top: grouped header rows, row headers, cells
 * spanning columns, sorting and paging by the server, a name for screen readers, and no broken
 * words.
 *
 * Without paging the table is as wide as its content and scrolls sideways in a labelled region
 * that takes focus (keyboard users scroll it too, whether or not a row holds a link). With
 * paging, it scrolls within the table so that the pager stays in view; its rows must then hold
 * something focusable (the services' links do).
 */
export function EcsTable<R>(props: {
  /** The table's accessible name. */
  label: string;
  columns: EcsColumn<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  sort?: EcsTableSort;
  paging?: EcsTablePaging;
  /** A new page or filter is loading: the rows shown are the previous answer's. */
  busy?: boolean;
}) {
  const { label, columns, rows, rowKey, sort, paging } = props;
  const classes = useEcsTableStyles();
  const context = useMemo<EcsTableContextValue>(
    () => ({
      label,
      columns,
      byField: new Map(columns.map((c, i) => [`c${i}`, c])),
      sort,
    }),
    [label, columns, sort],
  );
  // Plain data (no functions): the table compares columns deeply on every render.
  const titles = columns.map(c => c.title).join('\n');
  const tableColumns = useMemo<TableColumn<Row<R>>[]>(
    () => titles.split('\n').map((title, i) => ({ title, field: `c${i}` })),
    [titles],
  );
  const data = useMemo(
    () =>
      rows.map(row => {
        const id = rowKey(row);
        return { id, uuid: id, row };
      }),
    [rows, rowKey],
  );

  const table = (
    <Table<Row<R>>
      // The table reads the page size once: a new size from the URL starts it afresh.
      key={paging?.pageSize}
      columns={tableColumns}
      data={data}
      components={tableComponents}
      options={{
        toolbar: false,
        search: false,
        sorting: false,
        draggable: false,
        padding: 'dense',
        paging: Boolean(paging),
        pageSize: paging?.pageSize,
        pageSizeOptions: paging?.pageSizes,
        emptyRowsWhenPaging: false,
      }}
      style={paging ? undefined : { width: 'max-content', minWidth: '100%' }}
      {...(paging && {
        page: paging.page,
        totalCount: paging.total,
        onPageChange: (page: number) => paging.onPageChange(page),
        onRowsPerPageChange: (size: number) => paging.onPageSizeChange(size),
      })}
      localization={{
        pagination: {
          firstAriaLabel: 'First page',
          previousAriaLabel: 'Previous page',
          nextAriaLabel: 'Next page',
          lastAriaLabel: 'Last page',
          labelRowsPerPage: 'Rows per page:',
        },
      }}
    />
  );

  return (
    <EcsTableContext.Provider value={context}>
      {paging ? (
        <div className={classes.root} aria-busy={props.busy}>
          {table}
        </div>
      ) : (
        <div
          className={`${classes.root} ${classes.scroller}`}
          role="region"
          aria-label={label}
          aria-busy={props.busy}
          // A scrollable region takes focus so that arrow keys scroll it (WCAG 2.1.1).
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
        >
          {table}
        </div>
      )}
    </EcsTableContext.Provider>
  );
}
