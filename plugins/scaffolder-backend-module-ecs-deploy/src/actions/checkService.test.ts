import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import {
  listFiles,
  SERVICE_VALUES,
  testOptions,
} from '../__testUtils__/fixtures';
import { ServiceClaims } from '../serviceClaims';
import { createCheckServiceAction } from './checkService';
import { examples } from './checkService.examples';

const base = {
  name: 'payments-api',
  owner: 'team-payments',
  description: 'Payments API',
  ...SERVICE_VALUES,
};

describe('ecs-deploy:check-service', () => {
  const root = createMockDirectory();
  let claims: jest.Mocked<ServiceClaims>;

  beforeEach(() => {
    root.clear();
    claims = {
      assertNameFree: jest.fn().mockResolvedValue(undefined),
      assertOwner: jest.fn().mockResolvedValue(undefined),
    };
  });

  async function run(input: Record<string, unknown>, isDryRun = false) {
    const action = createCheckServiceAction({
      scaffolder: testOptions(),
      claims,
    });
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: root.resolve('workspace'),
      }),
      isDryRun,
    };
    await action.handler(ctx);
    return ctx;
  }

  it.each([false, true])(
    'checks the input, the owner and the name and writes nothing (dry run: %s)',
    async isDryRun => {
      const ctx = await run(base, isDryRun);
      expect(claims.assertOwner).toHaveBeenCalledWith(
        'group:default/team-payments',
        await ctx.getInitiatorCredentials(),
      );
      expect(claims.assertNameFree).toHaveBeenCalledWith('payments-api');
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        'component:default/payments-api',
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'owner',
        'group:default/team-payments',
      );
      expect(await listFiles(root.path)).toEqual([]);
    },
  );

  it.each([
    [{ name: 'Payments' }, 'Invalid name "Payments"'],
    [{ name: 'admin' }, 'Invalid name "admin": is a reserved word'],
    [{ owner: 'user:default/alice' }, 'Invalid owner "user:default/alice"'],
    [{ description: 'a\u0007b' }, 'Invalid description "a\\u0007b"'],
    [{ cpu: 1024, memory: 512 }, 'Invalid memory 512'],
    [{ environments: ['qa'] }, 'Invalid environments "qa"'],
    [
      { autoscaling: { prod: { enabled: true, min: 5, max: 2 } } },
      'Invalid autoscaling.prod.min 5',
    ],
  ])('refuses %j before looking at any claim', async (bad, message) => {
    const promise = run({ ...base, ...bad });
    await expect(promise).rejects.toThrow(InputError);
    await expect(promise).rejects.toThrow(message);
    expect(claims.assertOwner).not.toHaveBeenCalled();
    expect(claims.assertNameFree).not.toHaveBeenCalled();
  });

  it('fails with the claim that does not hold', async () => {
    claims.assertNameFree.mockRejectedValue(
      new ConflictError('Invalid name "payments-api": taken'),
    );
    await expect(run(base, true)).rejects.toThrow(
      'Invalid name "payments-api": taken',
    );
    claims.assertOwner.mockRejectedValue(
      new InputError('Invalid owner "group:default/team-payments": no'),
    );
    await expect(run(base)).rejects.toThrow(InputError);
    expect(await listFiles(root.path)).toEqual([]);
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe('ecs-deploy:check-service');
      const ctx = await run(step.input);
      expect(claims.assertNameFree).toHaveBeenCalledWith(step.input.name);
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        `component:default/${step.input.name}`,
      );
    });
  });
});
