import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Claim the ECS service billing in staging and prod for team-payments (a member of team-payments or an admin runs it)',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:claim-service',
          id: 'claim',
          name: 'Claim the ECS service',
          input: {
            name: 'billing',
            owner: 'group:default/team-payments',
            environments: ['staging', 'prod'],
          },
        },
      ],
    }),
  },
];
