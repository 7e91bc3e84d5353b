/*
 * templates/import-ecs-services against the action it runs: the form's defaults are the action's
 * (one source: the template's schema shows what the action would take anyway), the form's limits
 * are the action's, and what the form submits with only the required fields (the job page's
 * link fills those in) is valid input for ecs-deploy:import-services.
 */
import { SERVICE_NAME_PATTERN } from '@deployment-portal/plugin-ecs-deploy-common';
import validator from '@rjsf/validator-ajv8';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  createImportServicesAction,
  DEFAULT_IMPORT_BATCH_SIZE,
} from './actions/importServices';
import { withFormDefaults } from './formDefaults';
import { REPO_ROOT } from './__testUtils__/provisionFixtures';

const template = yaml.parse(
  fs.readFileSync(
    path.join(REPO_ROOT, 'templates/import-ecs-services/template.yaml'),
    'utf8',
  ),
);
const properties = Object.assign(
  {},
  ...template.spec.parameters.map((page: any) => page.properties),
);
const action = createImportServicesAction({
  scaffolder: {} as any,
  provision: {} as any,
  read: {} as any,
  adoptions: {} as any,
});
const input = action.schema!.input as any;

describe('templates/import-ecs-services', () => {
  it('shows the action’s defaults and limits', () => {
    expect(properties.batchSize).toMatchObject({
      default: DEFAULT_IMPORT_BATCH_SIZE,
      minimum: input.properties.batchSize.minimum,
      maximum: input.properties.batchSize.maximum,
    });
    expect(properties.names).toMatchObject({
      minItems: input.properties.names.minItems,
      maxItems: input.properties.names.maxItems,
      items: { pattern: SERVICE_NAME_PATTERN.source },
    });
    // Every service is imported unless the form says otherwise, as the action does.
    expect(properties.verify.default).toBeUndefined();
  });

  it('submits valid input for the action with only what the job page fills in', () => {
    const values = withFormDefaults(template.spec.parameters, {
      names: ['billing', 'ledger'],
      owner: 'group:default/team-payments',
    });
    const step = template.spec.steps.find((s: any) => s.id === 'import');
    // The step's input, each ${{ steps.form.output.values.<key> }} with its value.
    const rendered = Object.fromEntries(
      Object.entries(step.input as Record<string, string>)
        .map(([key, expression]) => [
          key,
          values[/values\.(\w+) }}$/.exec(expression)![1]],
        ])
        .filter(([, value]) => value !== undefined),
    );
    expect(rendered).toEqual({
      names: ['billing', 'ledger'],
      owner: 'group:default/team-payments',
      description: 'Adopted from ECS',
      environments: ['staging', 'prod'],
      batchSize: DEFAULT_IMPORT_BATCH_SIZE,
    });
    expect(validator.validateFormData(rendered, input).errors).toEqual([]);
  });
});
