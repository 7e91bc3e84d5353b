import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import type { PromotionPath } from '@deployment-portal/plugin-ecs-deploy-common';
import type { PromotionArrowState } from '../../lib/pipeline';
import { StatusLine, type StatusKind } from '../HealthStatus';
import { PromoteButton } from '../PromoteButton';

const useStyles = makeStyles(theme => ({
  arrow: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    minWidth: 0,
    maxWidth: 220,
  },
  icon: {
    fontSize: 40,
    color: theme.palette.text.secondary,
  },
  stacked: {
    [theme.breakpoints.down('sm')]: {
      maxWidth: 'none',
      '& $icon': { transform: 'rotate(90deg)' },
    },
  },
  row: {
    flexDirection: 'row',
    flexWrap: 'wrap',
    justifyContent: 'flex-start',
    textAlign: 'left',
    maxWidth: 'none',
    padding: 0,
    columnGap: theme.spacing(2),
  },
}));

const SUMMARY: Record<
  PromotionArrowState['kind'],
  { status: StatusKind; text: (to: string, from: string) => string }
> = {
  promote: { status: 'pending', text: (to, from) => `${to} is behind ${from}` },
  level: { status: 'ok', text: to => `${to} is up to date` },
  'not-deployed': { status: 'aborted', text: () => 'Nothing to promote' },
  blocked: { status: 'warning', text: () => 'Promotion blocked' },
  unknown: { status: 'aborted', text: () => 'Cannot compare' },
};

/** The arrow between two stages, carrying the promotion: Promote, or why not. */
export function PromotionArrow(props: {
  entityRef: string;
  path: PromotionPath;
  state: PromotionArrowState;
  titles: (environment: string) => string;
  onStarted?: () => void;
  /** `column`: the arrow between two stages; `row`: a line beneath them (the overview card). */
  layout?: 'column' | 'row';
}) {
  const { path, state, titles } = props;
  const classes = useStyles();
  const fromTitle = titles(path.from);
  const toTitle = titles(path.to);
  const summary = SUMMARY[state.kind];
  // `unknown` stays enabled: the dialog reads both sides again and the backend decides.
  const disabledReason =
    state.kind === 'promote' || state.kind === 'unknown'
      ? undefined
      : state.reasons.join(' ');

  return (
    <div
      role="group"
      aria-label={`Promotion from ${fromTitle} to ${toTitle}`}
      className={`${classes.arrow} ${
        props.layout === 'row' ? classes.row : classes.stacked
      }`}
    >
      {props.layout !== 'row' && (
        <ArrowForwardIcon className={classes.icon} aria-hidden />
      )}
      <StatusLine status={summary.status}>
        {summary.text(toTitle, fromTitle)}
      </StatusLine>
      {state.changes.map(change => (
        <Typography
          variant="caption"
          component="p"
          key={change.container}
          title={`${change.container}: ${change.from} → ${change.to}`}
        >
          {change.container}: {change.from} → {change.to}
        </Typography>
      ))}
      {state.kind === 'unknown' &&
        state.reasons.map(reason => (
          <Typography variant="caption" component="p" key={reason}>
            {reason}
          </Typography>
        ))}
      <PromoteButton
        entityRef={props.entityRef}
        from={path.from}
        to={path.to}
        fromTitle={fromTitle}
        toTitle={toTitle}
        disabledReason={disabledReason}
        onStarted={props.onStarted}
      />
    </div>
  );
}
