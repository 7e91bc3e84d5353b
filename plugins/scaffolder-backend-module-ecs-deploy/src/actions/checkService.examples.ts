import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check a new service before the skeleton is fetched: input rules, a free name and an owner group the caller belongs to',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:check-service',
          id: 'check',
          name: 'Check the service',
          input: {
            name: 'payments-api',
            owner: 'group:default/team-payments',
            description: 'Payments API',
            port: 8080,
            cpu: 256,
            memory: 512,
            healthCheckPath: '/healthz',
            environments: ['staging', 'prod'],
            desiredCounts: { staging: 1, prod: 2 },
          },
        },
      ],
    }),
  },
  {
    description:
      'Check the same input as the render step, with sizes, environments and autoscaling',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:check-service',
          id: 'check',
          name: 'Check the service',
          input: {
            name: 'search-indexer',
            owner: 'team-search',
            description: 'Search indexer',
            port: 9000,
            cpu: 1024,
            memory: 4096,
            healthCheckPath: '/health',
            environments: ['staging', 'prod'],
            desiredCounts: { staging: 1, prod: 2 },
            autoscaling: { prod: { enabled: true, min: 2, max: 6 } },
          },
        },
      ],
    }),
  },
];
