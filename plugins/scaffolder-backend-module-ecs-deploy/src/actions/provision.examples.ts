import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the roots the render step wrote (staging, then prod), before publishing',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:provision',
          id: 'provision',
          name: 'Create the service in its environments',
          input: {
            name: 'payments-api',
            environments: ['staging', 'prod'],
          },
        },
      ],
    }),
  },
  {
    description: 'Apply only staging, rendered into a sub-directory',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:provision',
          id: 'provision',
          name: 'Create the service in staging',
          input: {
            name: 'payments-api',
            environments: ['staging'],
            targetDirectory: 'deploy',
          },
        },
      ],
    }),
  },
];
