import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Complete the values with the parameter schema's defaults (in a template, pass its own `parameters` through a YAML alias: `parameters: *parameters`), then use `steps.form.output.values`",
    example: yaml.stringify({
      steps: [
        {
          action: 'ecs-deploy:form-defaults',
          id: 'form',
          name: "Complete the values with the form's defaults",
          input: {
            parameters: [
              {
                title: 'Runtime',
                properties: {
                  port: { type: 'integer', default: 8080 },
                  autoscale: { type: 'boolean', default: false },
                },
                dependencies: {
                  autoscale: {
                    oneOf: [
                      { properties: { autoscale: { const: false } } },
                      {
                        properties: {
                          autoscale: { const: true },
                          max: { type: 'integer', default: 6 },
                        },
                      },
                    ],
                  },
                },
              },
            ],
            values: { port: 9000, autoscale: true },
          },
        },
      ],
    }),
  },
];
