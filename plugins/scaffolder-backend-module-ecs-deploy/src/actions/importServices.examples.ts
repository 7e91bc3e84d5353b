import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Import services adopted by the bulk adoption job into Terraform, then publish each one',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:import-services',
          id: 'import',
          name: 'Import into Terraform',
          input: {
            names: ['billing', 'ledger'],
            owner: 'group:default/team-payments',
            description: 'Adopted in bulk',
            environments: ['staging'],
          },
        },
        {
          action: 'ecs-deploy:publish-local',
          id: 'publish',
          each: '${{ steps.import.output.imported }}',
          input: { name: '${{ each.value }}', sourcePath: '${{ each.value }}' },
        },
      ],
    }),
  },
];
