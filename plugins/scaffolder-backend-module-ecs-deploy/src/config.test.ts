import { mockServices } from '@backstage/backend-test-utils';
import path from 'node:path';
import {
  readEcsDeployScaffolderOptions,
  readProvisionSettings,
} from './config';

const config = (scaffolder: object, environments?: object[]) =>
  mockServices.rootConfig({
    data: { ecsDeploy: { scaffolder, ...(environments && { environments }) } },
  });

describe('readProvisionSettings', () => {
  const local = { backend: { type: 'local' as const }, cwd: '/srv/backend' };

  it('defaults to none, terraform from PATH, 10 minutes and <repo>/.run/terraform-state', () => {
    const settings = readProvisionSettings(config({}), local);
    expect(settings.mode).toBe('none');
    expect(settings.terraform.command).toBe('terraform');
    expect(settings.terraform.timeoutMs).toBe(600_000);
    expect(settings.terraform.stateDir).toBe(
      path.join('/srv/backend', '.run', 'terraform-state'),
    );
  });

  it('resolves a command path and the state directory against the working directory', () => {
    const settings = readProvisionSettings(
      config({
        provision: 'terraform',
        terraform: {
          command: '../../scripts/terraform.sh',
          timeoutMinutes: 2,
          stateDir: '../../.run/tf',
        },
      }),
      { ...local, cwd: '/repo/packages/backend' },
    );
    expect(settings).toEqual({
      mode: 'terraform',
      terraform: {
        command: '/repo/scripts/terraform.sh',
        timeoutMs: 120_000,
        stateDir: '/repo/.run/tf',
      },
    });
  });

  it.each([
    [
      { provision: 'ansible' },
      "provision must be terraform, pipeline or none, got 'ansible'",
    ],
    [
      { provision: 'terraform', terraform: { timeoutMinutes: 0 } },
      'timeoutMinutes must be more than 0 and at most 180, got 0',
    ],
    [
      { provision: 'pipeline', terraform: { timeoutMinutes: 600 } },
      'at most 180, got 600',
    ],
  ])('refuses %j', (scaffolder, message) => {
    expect(() => readProvisionSettings(config(scaffolder), local)).toThrow(
      message,
    );
  });

  it('refuses terraform without a state backend', () => {
    expect(() =>
      readProvisionSettings(config({ provision: 'terraform' }), {
        ...local,
        backend: { type: 'none' },
      }),
    ).toThrow('needs ecsDeploy.scaffolder.backend.type local or s3');
  });
});

describe('readEcsDeployScaffolderOptions', () => {
  it("reads each environment's endpoint and the initial image", () => {
    const options = readEcsDeployScaffolderOptions(
      config({ initialImage: 'ghcr.io/acme/hello-world:1.0.0' }, [
        {
          name: 'staging',
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:4566',
        },
        { name: 'prod', region: 'us-east-1' },
      ]),
    );
    expect(options.initialImage).toBe('ghcr.io/acme/hello-world:1.0.0');
    expect(options.environments).toEqual([
      {
        name: 'staging',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:4566',
      },
      { name: 'prod', region: 'us-east-1', endpoint: undefined },
    ]);
  });

  it('refuses an initial image that is not an image reference, naming it', () => {
    expect(() =>
      readEcsDeployScaffolderOptions(config({ initialImage: 'Hello World' })),
    ).toThrow("ecsDeploy.scaffolder.initialImage 'Hello World' is invalid");
  });

  describe('modulesSource', () => {
    // Run from the sources: the repository's terraform-modules/ (a packed package has its own).
    const backendDir = path.resolve(__dirname, '../../../packages/backend');
    const modulesDir = path.resolve(__dirname, '../../../terraform-modules');

    it('defaults to the modules seen from <localPublishDir>/<name>', () => {
      const local = readEcsDeployScaffolderOptions(config({}), {
        cwd: backendDir,
      });
      expect(local.modulesSource).toBe('../../../terraform-modules');

      const elsewhere = readEcsDeployScaffolderOptions(
        config({ localPublishDir: '/srv/portal/published' }),
        { cwd: backendDir },
      );
      expect(
        path.resolve('/srv/portal/published/any-name', elsewhere.modulesSource),
      ).toBe(modulesDir);
    });

    it('takes a configured git source as it is', () => {
      const source =
        'git::https://github.com/acme/platform//terraform-modules?ref=v1';
      const options = readEcsDeployScaffolderOptions(
        config({ modulesSource: source }),
        { cwd: backendDir },
      );
      expect(options.modulesSource).toBe(source);
    });
  });
});
