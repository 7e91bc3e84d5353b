import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render staging and prod roots for a service built from its own Dockerfile',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:render-service',
          id: 'render',
          name: 'Render ECS service',
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
      'Render a staging-only root with an existing image and a larger task',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:render-service',
          id: 'render',
          name: 'Render ECS service',
          input: {
            name: 'search-indexer',
            owner: 'team-search',
            description: 'Search indexer',
            image: 'ghcr.io/acme/search-indexer:3.0.0',
            port: 9000,
            cpu: 1024,
            memory: 4096,
            healthCheckPath: '/health',
            environments: ['staging'],
            desiredCounts: { staging: 2 },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render with autoscaling in prod, a git module source and a target directory',
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:render-service',
          id: 'render',
          name: 'Render ECS service',
          input: {
            name: 'checkout-web',
            owner: 'group:default/team-checkout',
            description: 'Checkout web front end',
            image: 'ghcr.io/acme/checkout-web:2.1.0',
            port: 3000,
            cpu: 512,
            memory: 1024,
            healthCheckPath: '/healthz',
            environments: ['staging', 'prod'],
            desiredCounts: { staging: 1, prod: 2 },
            autoscaling: { prod: { enabled: true, min: 2, max: 6 } },
            modulesSource:
              'git::https://github.com/acme/platform//terraform-modules?ref=v1',
            awsRegion: 'eu-west-1',
            targetDirectory: 'deploy',
          },
        },
      ],
    }),
  },
];
