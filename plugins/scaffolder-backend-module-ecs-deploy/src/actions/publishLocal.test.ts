import { createMockDirectory } from '@backstage/backend-test-utils';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'yaml';
import { listFiles, readTree } from '../__testUtils__/fixtures';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

const catalogInfo = yaml.stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api' },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/x',
  },
});

/** payments-api as the catalog holds it, provided by `origin`. */
function entityFrom(origin: string) {
  return {
    ...yaml.parse(catalogInfo),
    metadata: {
      name: 'payments-api',
      annotations: { [ANNOTATION_ORIGIN_LOCATION]: origin },
    },
  };
}

describe('ecs-deploy:publish-local', () => {
  const root = createMockDirectory();
  const workspacePath = () => root.resolve('workspace');
  const publishDir = () => root.resolve('published');
  let catalog: jest.Mocked<
    Pick<CatalogService, 'addLocation' | 'getEntityByRef'>
  >;

  beforeEach(() => {
    root.clear();
    root.setContent({
      workspace: {
        'catalog-info.yaml': catalogInfo,
        'terraform/staging/main.tf': '# main',
        service: { 'catalog-info.yaml': catalogInfo, 'README.md': '# svc' },
      },
    });
    catalog = {
      addLocation: jest.fn().mockResolvedValue({}),
      // Not in the catalog before registering; the catalog shows it on the second look after.
      getEntityByRef: jest
        .fn()
        .mockResolvedValueOnce(undefined)
        .mockResolvedValueOnce(undefined)
        .mockResolvedValue(
          entityFrom(
            `file:${path.join(publishDir(), 'payments-api/catalog-info.yaml')}`,
          ),
        ),
    } as any;
  });

  function run(input: Record<string, unknown>, isDryRun = false) {
    const action = createPublishLocalAction({
      localPublishDir: publishDir(),
      catalog: catalog as unknown as CatalogService,
    });
    // createMockActionContext ignores an isDryRun override: set it afterwards.
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspacePath(),
      }),
      isDryRun,
      checkpoint: jest.fn(async ({ fn }: { fn: () => Promise<unknown> }) =>
        fn(),
      ) as any,
    };
    return action.handler(ctx).then(() => ctx);
  }

  it('copies the workspace and registers a file location', async () => {
    const ctx = await run({ name: 'payments-api' });
    const target = path.join(publishDir(), 'payments-api');
    expect(await readTree(target)).toEqual(await readTree(workspacePath()));
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(target, 'catalog-info.yaml') },
      expect.objectContaining({ credentials: expect.anything() }),
    );
    // It looked for another provider first, then waited until the catalog showed the entity.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      pathToFileURL(target).toString(),
    );
    expect(ctx.output).toHaveBeenCalledWith('publishedPath', target);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/payments-api',
    );
    expect(ctx.checkpoint.mock.calls.map((c: any) => c[0].key)).toEqual([
      'publish-local.copy.payments-api',
      'publish-local.register.payments-api',
    ]);
  });

  it('registers without waiting for the catalog when waitForEntity is false', async () => {
    await run({ name: 'payments-api', waitForEntity: false });
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
    // Only the look for another provider: no wait for the catalog to show it.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it('does nothing outside the workspace in a dry run', async () => {
    const ctx = await run({ name: 'payments-api' }, true);
    expect(await listFiles(root.path)).toEqual(
      (await listFiles(workspacePath())).map(f => `workspace/${f}`),
    );
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(ctx.checkpoint).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      pathToFileURL(
        path.join(publishDir(), 'payments-api', 'catalog-info.yaml'),
      ).toString(),
    );
  });

  it.each([false, true])(
    'refuses an entity another location provides, before copying (dry run: %s)',
    async isDryRun => {
      catalog.getEntityByRef.mockReset();
      catalog.getEntityByRef.mockResolvedValue(
        entityFrom('url:https://github.com/acme/payments/catalog-info.yaml'),
      );
      const promise = run({ name: 'payments-api' }, isDryRun);
      await expect(promise).rejects.toThrow(ConflictError);
      await expect(promise).rejects.toThrow(
        `Invalid name "payments-api": component:default/payments-api is already provided by url:https://github.com/acme/payments/catalog-info.yaml; not registering file:${path.join(
          publishDir(),
          'payments-api/catalog-info.yaml',
        )} for it`,
      );
      // The task log prints the error's stack: it holds the message only.
      await expect(promise).rejects.toMatchObject({
        stack: expect.not.stringMatching(/\n\s+at /),
      });
      expect(catalog.addLocation).not.toHaveBeenCalled();
      expect(await listFiles(root.path)).toEqual(
        (await listFiles(workspacePath())).map(f => `workspace/${f}`),
      );
    },
  );

  it('refuses to replace an existing directory unless overwrite is set', async () => {
    await run({ name: 'payments-api' });
    await expect(run({ name: 'payments-api' })).rejects.toThrow(ConflictError);
    catalog.addLocation.mockRejectedValueOnce(new ConflictError('exists'));
    await expect(
      run({ name: 'payments-api', overwrite: true }),
    ).resolves.toBeDefined();
  });

  it.each([
    [{ name: '../escape' }, 'Invalid name "../escape"'],
    [{ name: 'Payments' }, 'Invalid name "Payments"'],
    [
      { name: 'payments-api', sourcePath: '../..' },
      'Invalid sourcePath "../.."',
    ],
    [
      { name: 'payments-api', catalogInfoPath: '/missing.yaml' },
      'Invalid catalogInfoPath "/missing.yaml"',
    ],
  ])('rejects %j', async (input, message) => {
    await expect(run(input)).rejects.toThrow(InputError);
    await expect(run(input)).rejects.toThrow(message);
    expect(await listFiles(root.path)).toEqual(
      (await listFiles(workspacePath())).map(f => `workspace/${f}`),
    );
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe('ecs-deploy:publish-local');
      await run(step.input);
      const files = await listFiles(path.join(publishDir(), step.input.name));
      expect(files).toContain('catalog-info.yaml');
      expect(catalog.addLocation).toHaveBeenCalledTimes(
        step.input.register === false ? 0 : 1,
      );
    });
  });
});
