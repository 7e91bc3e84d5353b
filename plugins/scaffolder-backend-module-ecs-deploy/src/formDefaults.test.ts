import { withFormDefaults } from './formDefaults';

describe('withFormDefaults', () => {
  const pages = [
    {
      properties: {
        port: { type: 'integer', default: 8080 },
        environments: { type: 'array', default: ['staging', 'prod'] },
        tls: {
          type: 'object',
          properties: { enabled: { type: 'boolean', default: true } },
        },
      },
    },
    {
      properties: { autoscale: { type: 'boolean', default: false } },
      dependencies: {
        autoscale: {
          oneOf: [
            {
              properties: {
                autoscale: { const: false },
                fixed: { type: 'integer', default: 1 },
              },
            },
            {
              properties: {
                autoscale: { const: true },
                min: { type: 'integer', default: 2 },
                max: { type: 'integer', default: 6 },
              },
            },
          ],
        },
        tier: {
          oneOf: [
            {
              properties: {
                tier: { enum: ['gold', 'silver'] },
                sla: { type: 'string', default: '99.9' },
              },
            },
          ],
        },
        port: ['tier'],
      },
    },
  ];

  it('fills what is absent, in nested objects too, and the oneOf branch the values select', () => {
    expect(withFormDefaults(pages, { name: 'x' })).toEqual({
      name: 'x',
      port: 8080,
      environments: ['staging', 'prod'],
      tls: { enabled: true },
      autoscale: false,
      fixed: 1,
    });
    expect(
      withFormDefaults(pages, { autoscale: true, tier: 'gold', tls: {} }),
    ).toEqual({
      port: 8080,
      environments: ['staging', 'prod'],
      tls: { enabled: true },
      autoscale: true,
      min: 2,
      max: 6,
      tier: 'gold',
      sla: '99.9',
    });
  });

  it('keeps given values, falsy ones included, and copies defaults rather than sharing them', () => {
    const filled = withFormDefaults(pages, {
      port: 0,
      environments: [],
      autoscale: true,
      max: 0,
    });
    expect(filled).toMatchObject({ port: 0, environments: [], min: 2, max: 0 });
    const first = withFormDefaults(pages, {});
    (first.environments as string[]).push('qa');
    expect(withFormDefaults(pages, {}).environments).toEqual([
      'staging',
      'prod',
    ]);
  });

  it('takes one schema as well as a list of pages', () => {
    expect(withFormDefaults(pages[0], { tls: { enabled: false } })).toEqual({
      port: 8080,
      environments: ['staging', 'prod'],
      tls: { enabled: false },
    });
  });
});
