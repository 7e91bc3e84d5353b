import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Adopt the ECS service billing, running in staging and prod, for team-payments',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:adopt-service',
          id: 'adopt',
          name: 'Adopt ECS service',
          input: {
            name: 'billing',
            owner: 'group:default/team-payments',
            description: 'Billing (adopted)',
            environments: ['staging', 'prod'],
          },
        },
      ],
    }),
  },
];
