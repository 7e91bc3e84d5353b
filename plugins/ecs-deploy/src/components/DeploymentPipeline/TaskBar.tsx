import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 6,
    width: '100%',
    maxWidth: 160,
    borderRadius: 3,
    overflow: 'hidden',
    background: theme.palette.action.disabledBackground,
    marginTop: theme.spacing(0.5),
  },
  running: { background: theme.palette.success.main },
  pending: { background: theme.palette.warning.main },
}));

/** Task counts as words ("1 of 2 running, 1 pending") over a small bar of the same numbers. */
export function TaskBar(props: {
  running: number;
  desired: number;
  pending: number;
}) {
  const { running, desired, pending } = props;
  const classes = useStyles();
  const total = Math.max(desired, running + pending, 1);
  const share = (n: number) => `${(n / total) * 100}%`;
  return (
    <>
      <Typography variant="body2" component="span">
        {desired === 0 && running === 0
          ? 'Scaled to zero'
          : `${running} of ${desired} running${
              pending ? `, ${pending} pending` : ''
            }`}
      </Typography>
      <span className={classes.bar} aria-hidden>
        <span className={classes.running} style={{ width: share(running) }} />
        <span className={classes.pending} style={{ width: share(pending) }} />
      </span>
    </>
  );
}
