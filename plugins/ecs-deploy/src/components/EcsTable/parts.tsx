import {
  createContext,
  useContext,
  type CSSProperties,
  type ReactNode,
} from 'react';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { makeStyles } from '@material-ui/core/styles';
import type { EcsColumn, EcsTableSort } from './types';

/*
 * The parts of Backstage's Table that an EcsTable replaces: its header, its cells and its
 * container. They are stable components reading a context, so that a refresh re-renders the rows
 * instead of remounting them (a dialog a row opened stays open).
 */

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

export interface EcsTableContextValue {
  label: string;
  columns: AnyColumn[];
  byField: Map<string, AnyColumn>;
  sort?: EcsTableSort;
}

/** What the header and the cells render. */
export const EcsTableContext = createContext<EcsTableContextValue | undefined>(
  undefined,
);

function useEcsTableContext(): EcsTableContextValue {
  const context = useContext(EcsTableContext);
  if (!context) {
    throw new Error('EcsTable parts render inside an EcsTable');
  }
  return context;
}

/** A row as the table holds it: `id` and `uuid` keep each row's React key across refreshes. */
export interface Row<R> {
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

/** The components an EcsTable gives Backstage's Table. */
export const tableComponents = { Container, Header, Cell };
