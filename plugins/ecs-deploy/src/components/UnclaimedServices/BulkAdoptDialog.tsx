import { useState } from 'react';
import {
  Progress,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
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
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  AdoptionJobItem,
  AdoptionPreviewItem,
  UnclaimedService,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { adoptionsOf } from '../../lib/adoption';
import { ActionDialog } from '../ActionDialog';
import { teamName } from '../Filters';
import { ImportIntoTerraform } from './ImportIntoTerraform';

const TITLE_ID = 'bulk-adopt-title';

/** How often a running job's report is read again. */
const JOB_POLL_MS = 1_000;

// The theme's subtle header colour lacks contrast on the dialog's header row (axe: color-contrast).
const useStyles = makeStyles(theme => ({
  head: { '& th': { color: theme.palette.text.primary } },
}));

/** One service's state, in words: the preview's, or the job's. */
function ItemStatus(props: { item: AdoptionPreviewItem | AdoptionJobItem }) {
  const { item } = props;
  if (item.error) return <StatusError>{item.error.message}</StatusError>;
  if (!('status' in item)) return <StatusOK>Ready</StatusOK>;
  switch (item.status) {
    case 'adopted':
      return <StatusOK>Adopted as {item.entityRef}</StatusOK>;
    case 'already-adopted':
      return <StatusOK>Already adopted as {item.entityRef}</StatusOK>;
    case 'pending':
      return <StatusPending>Pending</StatusPending>;
    default:
      return <StatusError>Failed</StatusError>;
  }
}

function ItemsTable(props: {
  label: string;
  items: Array<AdoptionPreviewItem | AdoptionJobItem>;
  environmentTitle: (name: string) => string;
}) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead className={classes.head}>
        <TableRow>
          <TableCell>ECS service</TableCell>
          <TableCell>Environments</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(item => (
          <TableRow key={item.serviceName}>
            <TableCell component="th" scope="row">
              {item.serviceName}
            </TableCell>
            <TableCell>
              {item.environments.map(props.environmentTitle).join(', ')}
            </TableCell>
            <TableCell>{teamName(item.owner)}</TableCell>
            <TableCell>
              <ItemStatus item={item} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * An admin's selection, adopted in one job: first the backend's preview (each service's dry run:
 * ready, or why it would be refused; nothing written), then the job, whose per-service report is
 * read until no service is pending; then the services it adopted may be imported into Terraform
 * (see {@link ImportIntoTerraform}).
 */
export function BulkAdoptDialog(props: {
  open: boolean;
  onClose: (started: boolean) => void;
  selection: UnclaimedService[];
  environmentTitle: (name: string) => string;
}) {
  return (
    <ActionDialog
      open={props.open}
      onClose={() => props.onClose(false)}
      titleId={TITLE_ID}
    >
      <BulkAdoptBody {...props} />
    </ActionDialog>
  );
}

function BulkAdoptBody(props: {
  onClose: (started: boolean) => void;
  selection: UnclaimedService[];
  environmentTitle: (name: string) => string;
}) {
  const api = useApi(ecsDeployApiRef);
  // The selection is fixed while the dialog is open.
  const [list] = useState(() => adoptionsOf(props.selection));
  const preview = useAsync(
    () => api.previewAdoptionJob({ services: list }),
    [api, list],
  );
  const [job, start] = useAsyncFn(
    () => api.startAdoptionJob({ services: list }),
    [api, list],
  );
  const [report, read] = useAsyncFn(
    async () => job.value && api.getAdoptionJob(job.value.id),
    [api, job.value],
  );
  const current = report.value ?? job.value;
  // The report is read again until no service is pending.
  usePolling(read, current?.status === 'running' ? JOB_POLL_MS : undefined);
  const ready = preview.value?.counts.ok ?? 0;

  return (
    <>
      <DialogTitle id={TITLE_ID}>
        Adopt {list.length} service{list.length === 1 ? '' : 's'}
      </DialogTitle>
      {/* A long list scrolls: the region takes focus so that keyboards scroll it (WCAG 2.1.1). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <DialogContent tabIndex={0} role="region" aria-label="Services to adopt">
        <Typography variant="body2" gutterBottom>
          Each service becomes a component of its name, owned by its suggested
          team, in the environments selected: the job tags it and creates its
          image parameters, as one adoption at a time would. The preview writes
          nothing.
        </Typography>
        {(preview.loading || job.loading) && <Progress />}
        {preview.error && (
          <Alert severity="error">{preview.error.message}</Alert>
        )}
        {job.error && <Alert severity="error">{job.error.message}</Alert>}
        {preview.value && !current && (
          <>
            <ItemsTable
              label="Adoption preview"
              items={preview.value.items}
              environmentTitle={props.environmentTitle}
            />
            <Typography variant="body2">
              {ready} of {list.length} ready to adopt.
            </Typography>
          </>
        )}
        {current && (
          <>
            <ItemsTable
              label="Adoption job"
              items={current.items}
              environmentTitle={props.environmentTitle}
            />
            <Typography variant="body2" role="status">
              {current.status === 'completed'
                ? `Job completed: ${current.counts.adopted} adopted, ${current.counts['already-adopted']} already adopted, ${current.counts.failed} failed.`
                : `Job running: ${current.counts.pending} pending.`}
            </Typography>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(Boolean(current))}>Close</Button>
        {current && (
          <ImportIntoTerraform
            job={current}
            environmentTitle={props.environmentTitle}
          />
        )}
        {!current && (
          <Button
            variant="contained"
            color="primary"
            disabled={ready === 0 || job.loading}
            onClick={start}
          >
            Adopt {ready} service{ready === 1 ? '' : 's'}
          </Button>
        )}
      </DialogActions>
    </>
  );
}
