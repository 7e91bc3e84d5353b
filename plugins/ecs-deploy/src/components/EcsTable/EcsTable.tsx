import {
  createContext,
  useContext,
  useMemo,
  type CSSProperties,
  type ReactNode,
} from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { makeStyles } from '@material-ui/core/styles';

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

/**
 * Cells never break a word (no "Imag e", no "Progressi ng") and values do not wrap: the table
 * scrolls sideways instead, and only sentences (columns with `wraps`) wrap between words.
 */
export const useEcsTableStyles = makeStyles(theme => ({
  root: {
    // The Backstage theme breaks words in table cells (word-break: break-word).
    '& th, & td': {
      whiteSpace: 'nowrap',
      wordBreak: 'normal',
      verticalAlign: 'top',
      padding: theme.spacing(0.75, 1.5),
    },
    '& td$wraps': { whiteSpace: 'normal', minWidth: '12rem' },
  },
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  wraps: {},
  groupStart: { borderLeft: `1px solid ${theme.palette.divider}` },
  caption: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
}));

type AnyColumn = EcsColumn<any>;

interface Context {
  label: string;
  columns: AnyColumn[];
  byField: Map<string, AnyColumn>;
  sort?: EcsTableSort;
}

/** What the header and the cells render; a context keeps both components stable across polls. */
const EcsTableContext = createContext<Context | undefined>(undefined);

function useEcsTableContext(): Context {
  const context = useContext(EcsTableContext);
  if (!context) {
    throw new Error('EcsTable parts render inside an EcsTable');
  }
  return context;
}

/** A row as the table holds it: `id` and `uuid` keep each row's React key across refreshes. */
interface Row<R> {
  id: string;
  uuid: string;
  row: R;
}

function HeaderCell(props: { column: AnyColumn; rowSpan?: number }) {
  const { column } = props;
  const { sort } = useEcsTableContext();
  const classes = useEcsTableStyles();
  const key = column.sort;
  const active = Boolean(sort && key && sort.by === key);
  let ariaSort: 'ascending' | 'descending' | undefined;
  if (active) ariaSort = sort!.order === 'asc' ? 'ascending' : 'descending';
  return (
    <TableCell
      rowSpan={props.rowSpan}
      className={column.groupStart ? classes.groupStart : undefined}
      aria-sort={ariaSort}
    >
      {sort && key ? (
        <TableSortLabel
          active={active}
          direction={active ? sort.order : 'asc'}
          onClick={() =>
            sort.onChange(key, active && sort.order === 'asc' ? 'desc' : 'asc')
          }
        >
          {column.title}
        </TableSortLabel>
      ) : (
        column.title
      )}
    </TableCell>
  );
}

/**
 * The table's name (a caption for screen readers: the card or page says it on screen) and its
 * header: one row, or two when columns are grouped (an environment over its Health, Image and
 * Revision).
 */
function Header() {
  const { label, columns } = useEcsTableContext();
  const classes = useEcsTableStyles();
  const grouped = columns.some(c => c.group);
  const top: ReactNode[] = [];
  const second: ReactNode[] = [];
  for (let i = 0; i < columns.length; ) {
    const { group, id } = columns[i];
    if (!group) {
      top.push(
        <HeaderCell
          key={id}
          column={columns[i]}
          rowSpan={grouped ? 2 : undefined}
        />,
      );
      i += 1;
      continue;
    }
    let end = i;
    while (columns[end]?.group?.id === group.id) end += 1;
    top.push(
      <TableCell
        key={`group:${group.id}`}
        colSpan={end - i}
        align="center"
        className={classes.groupStart}
      >
        {group.title}
      </TableCell>,
    );
    for (const column of columns.slice(i, end)) {
      second.push(<HeaderCell key={column.id} column={column} />);
    }
    i = end;
  }
  return (
    <>
      <caption className={classes.caption}>{label}</caption>
      <TableHead>
        <TableRow>{top}</TableRow>
        {grouped && <TableRow>{second}</TableRow>}
      </TableHead>
    </>
  );
}

function Cell(props: { columnDef: { field?: string }; rowData: Row<unknown> }) {
  const { byField } = useEcsTableContext();
  const classes = useEcsTableStyles();
  const column = byField.get(props.columnDef.field ?? '');
  if (!column) return null;
  const row = props.rowData.row;
  const span = column.span?.(row) ?? 1;
  if (span === 0) return null;
  const className = [
    column.groupStart && classes.groupStart,
    column.wraps && classes.wraps,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <TableCell
      component={column.rowHeader ? 'th' : 'td'}
      scope={column.rowHeader ? 'row' : undefined}
      colSpan={span > 1 ? span : undefined}
      className={className || undefined}
    >
      {column.render(row)}
    </TableCell>
  );
}

/** No card inside the card: the table sits in the page's card or paper. */
function Container(props: { style?: CSSProperties; children?: ReactNode }) {
  return <div style={props.style}>{props.children}</div>;
}

const components = { Container, Header, Cell };

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
  const context = useMemo<Context>(
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
      components={components}
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
