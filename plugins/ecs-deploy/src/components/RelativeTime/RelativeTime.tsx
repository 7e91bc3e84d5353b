import Tooltip from '@material-ui/core/Tooltip';
import { formatRelativeTime, formatTime } from '../../lib/format';

/** "4 minutes ago", with the absolute local time on hover (and in the `datetime` attribute). */
export function RelativeTime(props: { iso?: string }) {
  if (!props.iso) {
    return <>—</>;
  }
  return (
    <Tooltip title={formatTime(props.iso)}>
      <time dateTime={props.iso}>{formatRelativeTime(props.iso)}</time>
    </Tooltip>
  );
}
