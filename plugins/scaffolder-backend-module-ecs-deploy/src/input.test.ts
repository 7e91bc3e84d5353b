import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import { SERVICE_VALUES, testOptions } from './__testUtils__/fixtures';
import { createCheckServiceAction } from './actions/checkService';
import { createRenderServiceAction } from './actions/renderService';
import { parseInput, serviceInputFields } from './input';

/** The shared table of names (also fed to the backend and to `terraform test`). */
const cases: {
  serviceNames: { valid: string[]; invalid: string[] };
  environmentNames: { valid: string[]; invalid: string[] };
} = JSON.parse(
  fs.readFileSync(
    resolvePackagePath(
      '@deployment-portal/plugin-ecs-deploy-common',
      'src/rules/nameCases.json',
    ),
    'utf8',
  ),
);

const base = {
  name: 'payments-api',
  owner: 'team-payments',
  description: 'Payments API',
  ...SERVICE_VALUES,
};

describe('the service input (the shared name table)', () => {
  it.each(cases.serviceNames.valid)('accepts the service name %j', name => {
    expect(parseInput(serviceInputFields, { ...base, name }).name).toBe(name);
  });

  it.each(cases.serviceNames.invalid)('refuses the service name %j', name => {
    const parse = () => parseInput(serviceInputFields, { ...base, name });
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(`Invalid name ${JSON.stringify(name)}: `);
  });

  it.each(cases.environmentNames.valid)('accepts the environment %j', env => {
    expect(
      parseInput(serviceInputFields, { ...base, environments: [env] })
        .environments,
    ).toEqual([env]);
  });

  it.each(cases.environmentNames.invalid)('refuses the environment %j', env => {
    expect(() =>
      parseInput(serviceInputFields, { ...base, environments: [env] }),
    ).toThrow(`Invalid environments ${JSON.stringify(env)}: `);
  });
});

describe('the JSON Schema the scaffolder derives from the fields', () => {
  it.each([
    [
      'check-service',
      createCheckServiceAction({
        scaffolder: testOptions(),
        claims: { assertNameFree: jest.fn(), assertOwner: jest.fn() },
      }),
    ],
    ['render-service', createRenderServiceAction(testOptions())],
  ])('carries the per-field limits (%s)', (_, action) => {
    const { properties, required } = action.schema!.input as any;
    expect(required).toEqual([
      'name',
      'owner',
      'description',
      'port',
      'cpu',
      'memory',
      'healthCheckPath',
      'environments',
      'desiredCounts',
    ]);
    expect(properties.name.pattern).toBe('^[a-z][a-z0-9-]{1,30}[a-z0-9]$');
    expect(properties.description.maxLength).toBe(300);
    expect(properties.port).toMatchObject({ minimum: 1, maximum: 65535 });
    expect(properties.cpu.enum).toEqual([
      256, 512, 1024, 2048, 4096, 8192, 16384,
    ]);
    expect(properties.environments.items.pattern).toBe(
      '^[a-z][a-z0-9-]{1,20}$',
    );
    expect(properties.desiredCounts.additionalProperties).toMatchObject({
      minimum: 0,
      maximum: 100,
    });
  });
});
