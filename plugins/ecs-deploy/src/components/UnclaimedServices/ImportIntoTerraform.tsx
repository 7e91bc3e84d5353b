import { Link as RouterLink } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type { AdoptionJob } from '@deployment-portal/plugin-ecs-deploy-common';
import { IMPORT_TEMPLATE, terraformImportsOf } from '../../lib/adoption';
import { teamName } from '../Filters';

/**
 * After a bulk adoption job: "Import into Terraform" opens the import template with the services
 * the job adopted and their owner filled in, one button per owner and set of environments (the
 * template imports one owner's services at a time). Nothing while the job runs or when it adopted
 * nothing; without the template in the catalog, a line saying so.
 */
export function ImportIntoTerraform(props: {
  job: AdoptionJob;
  environmentTitle: (name: string) => string;
}) {
  const catalogApi = useApi(catalogApiRef);
  const template = useAsync(
    async () =>
      Boolean(
        await catalogApi.getEntityByRef(`template:default/${IMPORT_TEMPLATE}`),
      ),
    [catalogApi],
  );
  const imports = terraformImportsOf(props.job.items);
  if (props.job.status !== 'completed' || !imports.length || template.loading) {
    return null;
  }
  if (!template.value) {
    return (
      <Typography variant="body2">
        No template {IMPORT_TEMPLATE} in the catalog to import them into
        Terraform
      </Typography>
    );
  }
  return (
    <>
      {imports.map(i => (
        <Button
          key={i.path}
          component={RouterLink}
          to={i.path}
          variant="contained"
          color="primary"
        >
          Import {i.names.length} service{i.names.length === 1 ? '' : 's'} of{' '}
          {teamName(i.owner)}
          {imports.length > 1 &&
            ` (${i.environments.map(props.environmentTitle).join(', ')})`}{' '}
          into Terraform
        </Button>
      ))}
    </>
  );
}
