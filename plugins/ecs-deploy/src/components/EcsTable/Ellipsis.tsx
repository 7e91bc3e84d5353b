import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  ellipsis: {
    display: 'block',
    maxWidth: '16rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

/** A value cut with an ellipsis when long, the whole of it (or `title`) on hover. */
export function Ellipsis(props: { text: string; title?: string }) {
  const classes = useStyles();
  return (
    <span className={classes.ellipsis} title={props.title ?? props.text}>
      {props.text}
    </span>
  );
}
