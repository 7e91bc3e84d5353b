import { splitState } from './stateSplit';

const resource = (module: string | undefined, type: string) => ({
  ...(module !== undefined && { module }),
  mode: 'managed',
  type,
  name: 'this',
  provider: 'provider["registry.terraform.io/hashicorp/aws"]',
  instances: [{ schema_version: 0, attributes: { id: `${module}:${type}` } }],
});

const batch = {
  version: 4,
  terraform_version: '1.11.4',
  serial: 9,
  lineage: 'batch-lineage',
  outputs: {
    billing: {
      value: { service_name: 'billing' },
      type: ['object', { service_name: 'string' }],
    },
    'billing-v2': {
      value: { service_name: 'billing-v2' },
      type: ['object', { service_name: 'string' }],
    },
  },
  resources: [
    resource('module.billing.module.service', 'aws_ecs_service'),
    resource('module.billing.module.environment', 'aws_ssm_parameter'),
    resource('module.billing-v2.module.service', 'aws_ecs_service'),
    // The batch root's own data sources stay behind: each root reads its own.
    { ...resource(undefined, 'aws_ssm_parameters_by_path'), mode: 'data' },
  ],
  check_results: [{ object_kind: 'var' }],
};

describe('splitState', () => {
  it("gives each service its module's resources without the prefix, its outputs and a lineage of its own", () => {
    let n = 0;
    const states = splitState(
      batch,
      ['billing', 'billing-v2'],
      () => `l${++n}`,
    );
    expect(states.get('billing')).toEqual({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: 'l1',
      outputs: { service_name: { value: 'billing', type: 'string' } },
      resources: [
        {
          ...resource('module.service', 'aws_ecs_service'),
          instances: batch.resources[0].instances,
        },
        {
          ...resource('module.environment', 'aws_ssm_parameter'),
          instances: batch.resources[1].instances,
        },
      ],
      check_results: null,
    });
    // A name that prefixes another's (billing, billing-v2) takes only its own.
    expect(
      states.get('billing-v2')!.resources.map(r => [r.module, r.type]),
    ).toEqual([['module.service', 'aws_ecs_service']]);
    expect(states.get('billing-v2')!.lineage).toBe('l2');
  });

  it('refuses a state format it does not know', () => {
    expect(() => splitState({ ...batch, version: 3 }, ['billing'])).toThrow(
      'Unsupported Terraform state format version 3 (expected 4)',
    );
  });
});
