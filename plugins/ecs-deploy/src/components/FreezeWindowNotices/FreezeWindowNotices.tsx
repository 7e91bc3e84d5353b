import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import type { EcsDeployInfo } from '@deployment-portal/plugin-ecs-deploy-common';
import { environmentTitle, formatTime } from '../../lib/format';

/** Freeze windows open now, as notices. */
export function FreezeWindowNotices(props: { info?: EcsDeployInfo }) {
  const windows = props.info?.activeFreezeWindows ?? [];
  if (windows.length === 0) {
    return null;
  }
  return (
    <>
      {windows.map(w => (
        <Box mb={1} key={w.name}>
          <Alert severity="info">
            Freeze window “{w.name}” on{' '}
            {w.environments
              .map(e => environmentTitle(e, props.info))
              .join(', ')}{' '}
            until {formatTime(w.endsAt)}
            {w.reason ? `: ${w.reason}` : ''}
          </Alert>
        </Box>
      ))}
    </>
  );
}
