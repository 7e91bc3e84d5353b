import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace to <localPublishDir>/payments-api and register its catalog-info.yaml',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:publish-local',
          id: 'publish',
          name: 'Publish locally',
          input: { name: 'payments-api' },
        },
      ],
    }),
  },
  {
    description:
      'Publish a sub-directory again, replacing the earlier copy, without registering it',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:publish-local',
          id: 'publish',
          name: 'Publish locally',
          input: {
            name: 'payments-api',
            sourcePath: 'service',
            overwrite: true,
            register: false,
          },
        },
      ],
    }),
  },
];
