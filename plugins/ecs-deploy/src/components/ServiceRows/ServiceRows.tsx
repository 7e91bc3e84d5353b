import { Fragment, type ReactNode } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import TableCell from '@material-ui/core/TableCell';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import HistoryIcon from '@material-ui/icons/History';
import {
  imageVersion,
  type EcsDeployInfo,
  type TeamServiceRow,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { environmentTitle, formatTaskDefinition } from '../../lib/format';
import { promotionStanding } from '../../lib/promotion';
import { HealthStatus } from '../HealthStatus';

/**
 * Cells never break a word (no "Imag e", no "Progressi ng") and values do not wrap: the table
 * scrolls sideways in its {@link ScrollingTable} instead, long values end in an ellipsis with the
 * full value on hover, and only sentences (class `wraps`) wrap between words.
 */
export const useServiceTableStyles = makeStyles(theme => ({
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  table: {
    // The Backstage theme breaks words in table cells (word-break: break-word).
    '& th, & td': {
      whiteSpace: 'nowrap',
      wordBreak: 'normal',
      verticalAlign: 'top',
      padding: theme.spacing(0.75, 1.5),
    },
    // Sentences (why a button is disabled) wrap between words, never inside one.
    '& td$wraps': { whiteSpace: 'normal', minWidth: '12rem' },
  },
  wraps: {},
  groupStart: { borderLeft: `1px solid ${theme.palette.divider}` },
  ellipsis: {
    display: 'block',
    maxWidth: '16rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  marker: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

/**
 * A table wrapper that scrolls sideways rather than squeezing the columns; a labelled region in
 * the tab order, so that keyboard users can scroll it too.
 */
export function ScrollingTable(props: { label: string; children: ReactNode }) {
  const classes = useServiceTableStyles();
  return (
    <div
      className={classes.scroller}
      role="region"
      aria-label={props.label}
      // A scrollable region takes focus so that arrow keys scroll it (WCAG 2.1.1).
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
    >
      {props.children}
    </div>
  );
}

/** A value cut with an ellipsis when long, the whole of it (or `title`) on hover. */
export function Ellipsis(props: { text: string; title?: string }) {
  const classes = useServiceTableStyles();
  return (
    <span className={classes.ellipsis} title={props.title ?? props.text}>
      {props.text}
    </span>
  );
}

/** The lag state the backend sent for a path of the row, explained with the row's cells. */
export function rowStanding(
  row: TeamServiceRow,
  lag: TeamServiceRow['lags'][number],
) {
  return promotionStanding(lag, lag.state, row.environments);
}

/** How each promotion target of a row compares with its source, in words. */
export function LagMarkers(props: { row: TeamServiceRow }) {
  const classes = useServiceTableStyles();
  if (props.row.lags.length === 0) {
    return <>—</>;
  }
  return (
    <>
      {props.row.lags.map(lag => {
        const { state, environment } = rowStanding(props.row, lag);
        let icon;
        let text;
        if (state === 'behind') {
          icon = <HistoryIcon fontSize="small" color="secondary" aria-hidden />;
          text = `${lag.to} behind ${lag.from}`;
        } else if (state === 'level') {
          icon = <CheckIcon fontSize="small" aria-hidden />;
          text = `${lag.to} up to date with ${lag.from}`;
        } else if (state === 'not-deployed') {
          text = `${environment} not deployed`;
        } else if (environment) {
          text = `Cannot compare: no images known for ${environment}`;
        } else {
          text = `Cannot compare: ${lag.from} and ${lag.to} share no container`;
        }
        return (
          <Box key={`${lag.from}->${lag.to}`}>
            <Typography
              variant="body2"
              color={state === 'behind' ? 'textPrimary' : 'textSecondary'}
              className={classes.marker}
            >
              {icon}
              {text}
            </Typography>
          </Box>
        );
      })}
    </>
  );
}

/**
 * The two header rows' environment parts: one group of Health, Image, Revision per environment.
 * `health` may give an environment's Health header other content (a sort label) and its sort.
 */
export function environmentHeaders(
  environments: string[],
  info: EcsDeployInfo | undefined,
  groupStart: string,
  health?: (
    environment: string,
  ) => { label: ReactNode; sort?: 'ascending' | 'descending' } | undefined,
) {
  return {
    groups: environments.map(env => (
      <TableCell key={env} colSpan={3} align="center" className={groupStart}>
        {environmentTitle(env, info)}
      </TableCell>
    )),
    columns: environments.map(env => {
      const header = health?.(env);
      return (
        <Fragment key={env}>
          <TableCell className={groupStart} aria-sort={header?.sort}>
            {header?.label ?? 'Health'}
          </TableCell>
          <TableCell>Image</TableCell>
          <TableCell>Revision</TableCell>
        </Fragment>
      );
    }),
  };
}

/** A row's header cell: the service, linked to its entity page. */
export function ServiceCell(props: { row: TeamServiceRow }) {
  return (
    <TableCell component="th" scope="row">
      <EntityRefLink entityRef={props.row.entityRef} title={props.row.title} />
    </TableCell>
  );
}

/** A row's Health, Image and Revision cells for each environment. */
export function EnvironmentCells(props: {
  row: TeamServiceRow;
  environments: string[];
}) {
  const classes = useServiceTableStyles();
  return (
    <>
      {props.environments.map(env => {
        const cell = props.row.environments[env];
        if (!cell) {
          return (
            <TableCell key={env} colSpan={3} className={classes.groupStart}>
              Not deployed here
            </TableCell>
          );
        }
        return (
          <Fragment key={env}>
            <TableCell className={classes.groupStart}>
              <HealthStatus health={cell.health} />
              {cell.stale && (
                <Typography variant="caption" display="block">
                  Stale
                </Typography>
              )}
              {cell.error && (
                <Typography variant="caption" color="error" component="div">
                  <Ellipsis text={cell.error.message} />
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {cell.images.length
                ? cell.images.map(i => (
                    <Ellipsis
                      key={i.container}
                      text={imageVersion(i)}
                      title={i.image}
                    />
                  ))
                : '—'}
            </TableCell>
            <TableCell>
              {/* The revision number; the family (service and environment) on hover. */}
              {cell.taskDefinition ? (
                <Ellipsis
                  text={String(cell.taskDefinition.revision)}
                  title={formatTaskDefinition(cell.taskDefinition)}
                />
              ) : (
                '—'
              )}
            </TableCell>
          </Fragment>
        );
      })}
    </>
  );
}
