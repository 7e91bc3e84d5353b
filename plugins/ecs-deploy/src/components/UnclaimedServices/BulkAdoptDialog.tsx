import { useEffect } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type { UnclaimedService } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { adoptionsOf } from '../../lib/adoption';
import { ActionDialog } from '../ActionDialog';
import { StatusError, StatusOK } from '@backstage/core-components';
import { teamName } from '../Filters';

const TITLE_ID = 'bulk-adopt-title';

// The theme's subtle header colour lacks contrast on the dialog's header row (axe: color-contrast).
const useStyles = makeStyles(theme => ({
  head: { '& th': { color: theme.palette.text.primary } },
}));

/** What the dry run of one adoption says: what it would write, or why it would be refused. */
type Preview = {
  serviceName: string;
  environments: string[];
  owner: string;
} & ({ ok: true; parameters: number } | { ok: false; message: string });

/**
 * An admin's selection, previewed: one dry-run adoption per service (the backend's own checks:
 * ownership, naming rules, conflicts), each with what it would write or why it would be refused.
 */
export function BulkAdoptDialog(props: {
  open: boolean;
  onClose: () => void;
  selection: UnclaimedService[];
  environmentTitle: (name: string) => string;
}) {
  return (
    <ActionDialog open={props.open} onClose={props.onClose} titleId={TITLE_ID}>
      <BulkAdoptPreview {...props} />
    </ActionDialog>
  );
}

function BulkAdoptPreview(props: {
  onClose: () => void;
  selection: UnclaimedService[];
  environmentTitle: (name: string) => string;
}) {
  const api = useApi(ecsDeployApiRef);
  const classes = useStyles();
  const adoptions = adoptionsOf(props.selection);
  const [previews, load] = useAsyncFn(async (): Promise<Preview[]> => {
    const out: Preview[] = [];
    // One at a time: the backend reads each service in every environment it names.
    for (const adoption of adoptions) {
      try {
        const result = await api.adoptService({ ...adoption, dryRun: true });
        out.push({
          ...adoption,
          ok: true,
          parameters: result.services.reduce(
            (n, s) => n + s.imageParameters.length,
            0,
          ),
        });
      } catch (error) {
        out.push({ ...adoption, ok: false, message: (error as Error).message });
      }
    }
    return out;
    // The selection is fixed while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);
  useEffect(() => {
    load();
  }, [load]);
  const ready = previews.value?.filter(p => p.ok).length ?? 0;

  return (
    <>
      <DialogTitle id={TITLE_ID}>
        Adopt {adoptions.length} service{adoptions.length === 1 ? '' : 's'}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          Each service becomes a component of its name, owned by its suggested
          team, in the environments selected. The preview runs the adoption’s
          checks and writes nothing.
        </Typography>
        {previews.loading && <Progress />}
        {previews.value && (
          <Table size="small" aria-label="Adoption preview">
            <TableHead className={classes.head}>
              <TableRow>
                <TableCell>ECS service</TableCell>
                <TableCell>Environments</TableCell>
                <TableCell>Owner</TableCell>
                <TableCell>Preview</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {previews.value.map(p => (
                <TableRow key={p.serviceName}>
                  <TableCell component="th" scope="row">
                    {p.serviceName}
                  </TableCell>
                  <TableCell>
                    {p.environments.map(props.environmentTitle).join(', ')}
                  </TableCell>
                  <TableCell>{teamName(p.owner)}</TableCell>
                  <TableCell>
                    {p.ok ? (
                      <StatusOK>
                        Ready: tag, {p.parameters} image parameter
                        {p.parameters === 1 ? '' : 's'}
                      </StatusOK>
                    ) : (
                      <StatusError>{p.message}</StatusError>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {previews.value && (
          <Typography variant="body2">
            {ready} of {adoptions.length} ready to adopt.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </>
  );
}
