import { useEffect, useRef } from 'react';
import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import type { LogLine } from '@deployment-portal/plugin-ecs-deploy-common';
import { useTaskHref } from './logsLocation';

const useStyles = makeStyles(theme => ({
  scroller: {
    maxHeight: 480,
    overflow: 'auto',
    border: `1px solid ${theme.palette.divider}`,
  },
  cell: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    verticalAlign: 'top',
    whiteSpace: 'nowrap',
    padding: theme.spacing(0.25, 1),
  },
  message: { whiteSpace: 'pre-wrap', wordBreak: 'break-word' },
}));

/** `HH:MM:SS.mmm` in local time; the full time on hover. */
function clock(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(
    d.getSeconds(),
  )}.${pad(d.getMilliseconds(), 3)}`;
}

function TaskCell(props: { environment: string; taskId: string }) {
  const href = useTaskHref(props.environment, props.taskId);
  return (
    <Link to={href} title={`Task ${props.taskId}`}>
      {props.taskId.slice(0, 8)}
    </Link>
  );
}

/**
 * Log lines, oldest first, in a scrolling box that stays at the bottom when new lines are
 * appended there (following); each line's task links to the task in the environment's list.
 */
export function LogLinesTable(props: {
  environment: string;
  lines: LogLine[];
  label: string;
}) {
  const classes = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const newest = props.lines[props.lines.length - 1]?.id;

  useEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [newest]);

  return (
    <div
      className={classes.scroller}
      ref={scroller}
      onScroll={e => {
        const el = e.currentTarget;
        atBottom.current =
          el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      <Table size="small" aria-label={props.label} stickyHeader>
        <TableHead>
          <TableRow>
            <TableCell className={classes.cell}>Time</TableCell>
            <TableCell className={classes.cell}>Task</TableCell>
            <TableCell className={classes.cell}>Container</TableCell>
            <TableCell className={classes.cell}>Message</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.lines.map(line => (
            <TableRow key={line.id}>
              <TableCell className={classes.cell} title={line.timestamp}>
                <time dateTime={line.timestamp}>{clock(line.timestamp)}</time>
              </TableCell>
              <TableCell className={classes.cell}>
                <TaskCell
                  environment={props.environment}
                  taskId={line.taskId}
                />
              </TableCell>
              <TableCell className={classes.cell}>{line.container}</TableCell>
              <TableCell className={`${classes.cell} ${classes.message}`}>
                {line.message}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
