import { logsQuerySchema } from './requests';

describe('logsQuerySchema', () => {
  it('splits task ids and coerces numbers', () => {
    expect(
      logsQuerySchema.parse({
        environment: 'prod',
        taskId: 'abc,def,abc',
        limit: '50',
      }),
    ).toEqual({ environment: 'prod', taskId: ['abc', 'def'], limit: 50 });
    expect(
      logsQuerySchema.parse({ environment: 'prod', revision: '7' }).revision,
    ).toBe(7);
  });

  it.each([
    ['environment', {}],
    ['taskId', { environment: 'prod', taskId: 'a/b' }],
    ['taskId', { environment: 'prod', taskId: Array(11).fill('a').join(',') }],
    ['revision', { environment: 'prod', taskId: 'a', revision: '2' }],
    ['revision', { environment: 'prod', revision: '0' }],
    ['filter', { environment: 'prod', filter: 'ERROR\u0000' }],
    ['filter', { environment: 'prod', filter: 'x'.repeat(1025) }],
    ['since', { environment: 'prod', since: 'yesterday' }],
    [
      'since',
      {
        environment: 'prod',
        since: '2026-11-20T10:00:00Z',
        until: '2026-11-20T09:00:00Z',
      },
    ],
    ['nextToken', { environment: 'prod', nextToken: 'a+b/c=' }],
    ['limit', { environment: 'prod', limit: '501' }],
  ])('refuses a bad %s', (field, query) => {
    const result = logsQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map(i => i.path[0])).toContain(field);
  });

  it('accepts a CloudWatch filter pattern as given', () => {
    const filter = '?ERROR ?"health check" -DEBUG { $.status = 5* }';
    expect(
      logsQuerySchema.parse({ environment: 'staging', filter }).filter,
    ).toBe(filter);
  });
});
