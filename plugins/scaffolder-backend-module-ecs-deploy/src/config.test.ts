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
  const emulated = [
    { name: 'staging', endpoint: 'http://127.0.0.1:4566' },
    { name: 'prod', endpoint: 'http://127.0.0.1:4566' },
  ];
  const local = {
    backend: { type: 'local' as const },
    cwd: '/srv/backend',
    environments: emulated,
  };

  it('defaults to none, terraform from PATH, 10 minutes, <repo>/.run/terraform-state and the credential chain', () => {
    const settings = readProvisionSettings(config({}), local);
    expect(settings.mode).toBe('none');
    expect(settings.terraform.command).toBe('terraform');
    expect(settings.terraform.timeoutMs).toBe(600_000);
    expect(settings.terraform.stateDir).toBe(
      path.join('/srv/backend', '.run', 'terraform-state'),
    );
    expect(settings.terraform.localEmulator).toBe(false);
  });

  it('resolves a command path and the state directory against the working directory', () => {
    const settings = readProvisionSettings(
      config({
        provision: 'terraform',
        terraform: {
          command: '../../scripts/terraform.sh',
          timeout: { minutes: 2, seconds: 30 },
          stateDir: '../../.run/tf',
          localEmulator: true,
        },
      }),
      { ...local, cwd: '/repo/packages/backend' },
    );
    expect(settings).toEqual({
      mode: 'terraform',
      terraform: {
        command: '/repo/scripts/terraform.sh',
        timeoutMs: 150_000,
        stateDir: '/repo/.run/tf',
        localEmulator: true,
      },
    });
  });

  it.each([
    ['4m', 240_000],
    ['PT90S', 90_000],
    [{ hours: 1 }, 3_600_000],
  ])('reads the time limit %j as a Backstage duration', (timeout, ms) => {
    expect(
      readProvisionSettings(config({ terraform: { timeout } }), local).terraform
        .timeoutMs,
    ).toBe(ms);
  });

  it('still reads the deprecated timeoutMinutes, with a warning', () => {
    const logger = mockServices.logger.mock();
    const settings = readProvisionSettings(
      config({ terraform: { timeoutMinutes: 3 } }),
      { ...local, logger },
    );
    expect(settings.terraform.timeoutMs).toBe(180_000);
    expect(logger.warn).toHaveBeenCalledWith(
      'ecsDeploy.scaffolder.terraform.timeoutMinutes is deprecated; use ecsDeploy.scaffolder.terraform.timeout, e.g. { minutes: 10 }',
    );
  });

  it.each([
    [
      { provision: 'ansible' },
      "provision must be terraform, pipeline or none, got 'ansible'",
    ],
    [
      { provision: 'terraform', terraform: { timeout: { minutes: 0 } } },
      'ecsDeploy.scaffolder.terraform.timeout must be more than 0 and at most 3 hours, got 0 s',
    ],
    [
      { provision: 'pipeline', terraform: { timeout: { hours: 4 } } },
      'at most 3 hours, got 14400 s',
    ],
    [
      { provision: 'pipeline', terraform: { timeoutMinutes: 600 } },
      'ecsDeploy.scaffolder.terraform.timeoutMinutes must be more than 0 and at most 3 hours, got 36000 s',
    ],
    [
      { terraform: { timeout: 'soon' } },
      "Invalid duration 'soon' in config at 'ecsDeploy.scaffolder.terraform.timeout'",
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

  it('refuses localEmulator when an environment has no endpoint: its test keys would go to AWS', () => {
    expect(() =>
      readProvisionSettings(config({ terraform: { localEmulator: true } }), {
        ...local,
        environments: [emulated[0], { name: 'prod' }],
      }),
    ).toThrow(
      "ecsDeploy.scaffolder.terraform.localEmulator is true, but environment 'prod' has no endpoint",
    );
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

  it("reads the Terraform role and each environment's account", () => {
    const options = readEcsDeployScaffolderOptions(
      config(
        {
          terraformRole: {
            roleName: 'ecs-deploy-terraform',
            externalId: 'acme-terraform',
          },
        },
        [
          { name: 'staging', accountId: '111111111111' },
          { name: 'prod', accountId: '222222222222' },
        ],
      ),
    );
    expect(options.terraformRole).toEqual({
      roleName: 'ecs-deploy-terraform',
      externalId: 'acme-terraform',
    });
    expect(options.environments.map(e => e.accountId)).toEqual([
      '111111111111',
      '222222222222',
    ]);
  });

  it.each([
    [
      { roleName: 'ecs-deploy-terraform' },
      [{ name: 'staging', accountId: '111111111111' }, { name: 'prod' }],
      "ecsDeploy.scaffolder.terraformRole is set, but environment 'prod' has no accountId",
    ],
    [
      { roleName: 'ecs deploy' },
      [{ name: 'prod', accountId: '222222222222' }],
      "ecsDeploy.scaffolder.terraformRole.roleName must be 1-64 characters of letters, digits and +=,.@_-, got 'ecs deploy'",
    ],
    [
      { roleName: 'ecs-deploy-terraform', externalId: 'x' },
      [{ name: 'prod', accountId: '222222222222' }],
      "ecsDeploy.scaffolder.terraformRole.externalId must be 2-1224 characters of letters, digits and +=,.@:/-_, got 'x'",
    ],
    [
      undefined,
      [{ name: 'prod', accountId: '2222' }],
      "ecsDeploy.environments[prod].accountId must be 12 digits, got '2222'",
    ],
  ])(
    'refuses terraformRole %j with %j, naming the value',
    (role, envs, error) => {
      expect(() =>
        readEcsDeployScaffolderOptions(
          config(role ? { terraformRole: role } : {}, envs),
        ),
      ).toThrow(error);
    },
  );

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
