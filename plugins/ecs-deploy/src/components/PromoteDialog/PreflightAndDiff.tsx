import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CheckIcon from '@material-ui/icons/CheckCircleOutline';
import BlockIcon from '@material-ui/icons/Block';
import type {
  ContainerField,
  DefinitionDifferences,
  PreflightCheckName,
  PreflightResult,
} from '@deployment-portal/plugin-ecs-deploy-common';

const CHECKS: Record<PreflightCheckName, string> = {
  'image-digest': 'Image digest',
  'task-roles': 'Task and execution roles',
  'log-group': 'Log group',
  secrets: 'Secrets and parameters',
  'target-group-port': 'Target group port',
};

const FIELDS: Record<ContainerField, string> = {
  environment: 'Environment variables',
  secrets: 'Secrets',
  cpu: 'CPU',
  memory: 'Memory',
  ports: 'Ports',
  healthCheck: 'Health check',
  command: 'Command',
};

/** One line of the diff: a field of the task or a container, or a container only one side has. */
interface Row {
  where: string;
  field?: ContainerField;
  source: string;
  target: string;
}

/** The pre-flight checks of the preview: each passed or blocking (its fix is in the blockers). */
export function PreflightChecks(props: { results: PreflightResult[] }) {
  return (
    <Box mt={2} component="section" aria-label="Pre-flight checks">
      <Typography variant="subtitle2">Pre-flight checks</Typography>
      {props.results.map(r => (
        <Box key={r.check} display="flex" alignItems="flex-start" mt={0.5}>
          {r.status === 'pass' ? (
            <CheckIcon fontSize="small" color="primary" titleAccess="passed" />
          ) : (
            <BlockIcon fontSize="small" color="error" titleAccess="blocks" />
          )}
          <Typography variant="body2" style={{ marginLeft: 8 }}>
            <strong>{CHECKS[r.check]}</strong>: {r.message}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/**
 * What differs between the environments beyond the images: the promotion changes the images
 * only, so each of these stays as the target has it.
 */
export function DefinitionDiff(props: {
  differences: DefinitionDifferences;
  fromTitle: string;
  toTitle: string;
}) {
  const { differences, fromTitle, toTitle } = props;
  const rows: Row[] = [
    ...differences.task.map(d => ({ where: 'Task', ...d })),
    ...differences.containers.flatMap((c): Row[] =>
      c.onlyIn
        ? [
            {
              where: c.container,
              field: undefined,
              source: c.onlyIn === 'source' ? 'present' : 'absent',
              target: c.onlyIn === 'target' ? 'present' : 'absent',
            },
          ]
        : c.differences.map(d => ({ where: c.container, ...d })),
    ),
  ];
  return (
    <Box mt={2} component="section" aria-label="Beyond the images">
      <Typography variant="subtitle2">Beyond the images</Typography>
      {rows.length === 0 ? (
        <Typography variant="body2">
          Nothing else differs between {fromTitle} and {toTitle}.
        </Typography>
      ) : (
        <>
          <Typography variant="body2">
            The promotion changes the images only; these stay as {toTitle} has
            them.
          </Typography>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Container</TableCell>
                <TableCell>Setting</TableCell>
                <TableCell>In {fromTitle}</TableCell>
                <TableCell>In {toTitle} (kept)</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(r => (
                <TableRow key={`${r.where}:${r.field ?? 'container'}`}>
                  <TableCell>{r.where}</TableCell>
                  <TableCell>
                    {r.field ? FIELDS[r.field] : 'The container'}
                  </TableCell>
                  <TableCell>{r.source}</TableCell>
                  <TableCell>{r.target}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
