/*
 * render-service's deployment strategies: rolling renders no load balancer; canary, linear and
 * blue/green render the ecs-service module's deployment_strategy and a rule on the environment's
 * shared listener whose priority is read off that listener's rules (ELBv2 in the emulator): free,
 * unique, and the same when the service is rendered again.
 */
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  defaultNetwork,
  elbClient,
  seedEnvironment,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import fs from 'node:fs';
import path from 'node:path';
import { provisionFixtures } from '../__testUtils__/provisionFixtures';
import {
  choosePriority,
  GENERATED_PRIORITY_MAX,
  GENERATED_PRIORITY_MIN,
  preferredPriority,
} from '../listenerPriority';

jest.setTimeout(120_000);

const CANARY = {
  type: 'canary',
  canaryPercent: 25,
  canaryBakeMinutes: 30,
  bakeMinutes: 5,
};

describe('choosePriority', () => {
  const ref = 'component:default/orders-api';

  it('starts at the name’s preferred priority, in the generated band', () => {
    const preferred = preferredPriority('orders-api');
    expect(preferred).toBeGreaterThanOrEqual(GENERATED_PRIORITY_MIN);
    expect(preferred).toBeLessThanOrEqual(GENERATED_PRIORITY_MAX);
    expect(choosePriority('orders-api', ref, new Map())).toBe(preferred);
  });

  it('keeps the priority of the service’s own rule, wherever it is', () => {
    const rules = new Map([
      [17, 'component:default/other'],
      [42, ref],
    ]);
    expect(choosePriority('orders-api', ref, rules)).toBe(42);
  });

  it('skips priorities other rules hold and wraps at the end of the band', () => {
    const preferred = preferredPriority('orders-api');
    const taken = new Map<number, string | undefined>([
      [preferred, 'component:default/a'],
      [preferred + 1, undefined],
    ]);
    expect(choosePriority('orders-api', ref, taken)).toBe(preferred + 2);

    const full = new Map<number, string | undefined>();
    for (let p = preferred; p <= GENERATED_PRIORITY_MAX; p++) full.set(p, 'x');
    expect(preferred).toBeGreaterThan(GENERATED_PRIORITY_MIN);
    expect(choosePriority('orders-api', ref, full)).toBe(
      GENERATED_PRIORITY_MIN,
    );
  });
});

describe('ecs-deploy:render-service with deployment strategies', () => {
  const dir = createMockDirectory();
  const fixtures = provisionFixtures(() => dir.path);
  let emulator: Emulator;
  let listenerArn: string;
  let targetGroupArn: string;

  /** Renders `name` for staging and prod into `<dir>/workspace-<name>`; their main.tf. */
  async function render(name: string, input: object) {
    const workspacePath = await fixtures.render(
      name,
      ['staging', 'prod'],
      emulator.endpoint,
      input,
    );
    const read = (env: string) =>
      fs.readFileSync(
        path.join(workspacePath, 'terraform', env, 'main.tf'),
        'utf8',
      );
    return { staging: read('staging'), prod: read('prod') };
  }

  /** A rule on the listener at `priority`, tagged as the ecs-service module tags its rules. */
  async function addRule(
    priority: number,
    entityRef: string,
    pathPattern: string,
  ) {
    await elbClient(emulator.endpoint).send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: priority,
        Conditions: [{ Field: 'path-pattern', Values: [pathPattern] }],
        Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
        Tags: [{ Key: 'backstage:entity-ref', Value: entityRef }],
      }),
    );
  }

  beforeAll(async () => {
    // The action reads AWS with the SDK's default credentials, as Terraform does.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator();
    ({ listenerArn } = (await seedEnvironment(emulator.endpoint, 'prod', {
      alb: true,
    })) as { listenerArn: string });
    await seedEnvironment(emulator.endpoint, 'staging');
    const { vpcId } = await defaultNetwork(emulator.endpoint);
    const { TargetGroups } = await elbClient(emulator.endpoint).send(
      new CreateTargetGroupCommand({
        Name: 'others',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: vpcId,
        TargetType: 'ip',
      }),
    );
    targetGroupArn = TargetGroups![0].TargetGroupArn!;
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('renders neither load balancer nor strategy for rolling', async () => {
    const { staging, prod } = await render('rolling-api', {
      strategies: { prod: { type: 'rolling' } },
    });
    for (const root of [staging, prod]) {
      expect(root).not.toContain('load_balancer');
      expect(root).not.toContain('deployment_strategy');
    }
  });

  it('renders a prod canary on the shared listener at the service’s preferred priority; staging rolls', async () => {
    const { staging, prod } = await render('orders-api', {
      strategies: { prod: CANARY },
    });
    expect(staging).not.toContain('load_balancer');
    expect(prod).toContain(`  load_balancer = {
    priority          = ${preferredPriority('orders-api')}
    path_patterns     = ["/orders-api", "/orders-api/*"]
    health_check_path = "/healthz"
  }`);
    expect(prod).toContain(`  deployment_strategy = {
    type                     = "canary"
    canary_percent           = 25
    canary_bake_time_minutes = 30
    bake_time_minutes        = 5
  }`);
  });

  it('renders linear and blue/green with their values', async () => {
    const linear = await render('steps-api', {
      strategies: {
        prod: {
          type: 'linear',
          linearStepPercent: 12.5,
          linearStepBakeMinutes: 3,
          bakeMinutes: 0,
        },
      },
    });
    expect(linear.prod).toContain(`  deployment_strategy = {
    type                          = "linear"
    linear_step_percent           = 12.5
    linear_step_bake_time_minutes = 3
    bake_time_minutes             = 0
  }`);
    const blueGreen = await render('swap-api', {
      strategies: { prod: { type: 'blue_green', bakeMinutes: 15 } },
    });
    expect(blueGreen.prod).toContain(`  deployment_strategy = {
    type              = "blue_green"
    bake_time_minutes = 15
  }`);
    expect(blueGreen.prod).toContain(
      `priority          = ${preferredPriority('swap-api')}`,
    );
  });

  it('takes the next free priority when another service holds the preferred one, and keeps a service’s own', async () => {
    const preferred = preferredPriority('billing-api');
    await addRule(preferred, 'component:default/someone-else', '/else/*');
    const first = await render('billing-api', {
      strategies: { prod: CANARY },
    });
    expect(first.prod).toContain(`priority          = ${preferred + 1}`);

    // Once its rule exists (as the apply creates it), rendering again keeps its priority, even
    // though the preferred one is taken and a lower one is now free elsewhere.
    await addRule(preferred + 1, 'component:default/billing-api', '/billing/*');
    const again = await render('billing-api', {
      strategies: { prod: CANARY },
    });
    expect(again.prod).toBe(first.prod);
  });

  it('refuses a strategy that needs a listener in an environment without one, writing nothing', async () => {
    await expect(
      render('lonely-api', { strategies: { staging: CANARY } }),
    ).rejects.toThrow(
      /^Environment staging has no shared load balancer listener \(\/ecs-deploy\/environments\/staging names none\)/,
    );
    expect(fs.existsSync(dir.resolve('workspace-lonely-api'))).toBe(false);
  });

  it.each([
    [
      { type: 'canary', canaryPercent: 10, bakeMinutes: 5 },
      'Invalid strategies.prod.canaryBakeMinutes undefined: is required for canary',
    ],
    [
      { type: 'linear', linearStepPercent: 2, linearStepBakeMinutes: 1 },
      'Invalid strategies.prod.linearStepPercent 2: must be from 3 to 100 in steps of 0.1',
    ],
    [
      { ...CANARY, canaryPercent: 10.25 },
      'Invalid strategies.prod.canaryPercent 10.25: must be from 0.1 to 100 in steps of 0.1',
    ],
    [
      { type: 'blue_green' },
      'Invalid strategies.prod.bakeMinutes undefined: is required for blue_green',
    ],
    [
      { type: 'recreate' },
      /^Invalid strategies\.prod\.type "recreate": Invalid enum value/,
    ],
  ])('refuses %j', async (strategy, message) => {
    await expect(
      render('orders-api', { strategies: { prod: strategy } }),
    ).rejects.toThrow(message);
  });
});
