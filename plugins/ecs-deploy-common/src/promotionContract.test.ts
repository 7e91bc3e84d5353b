import { ecsDeploySignalChannel } from './signals';
import {
  promoteRequestSchema,
  promotionRequestCreateSchema,
  promotionRequestParamsSchema,
} from './requests';

describe('ecsDeploySignalChannel', () => {
  it.each([
    [
      'component:default/payments-api',
      'ecs-deploy:component:default:payments-api',
    ],
    [
      'Component:Default/Payments-API',
      'ecs-deploy:component:default:payments-api',
    ],
  ])('%s → %s', (ref, channel) => {
    expect(ecsDeploySignalChannel(ref)).toBe(channel);
  });
});

describe('promotion request schemas', () => {
  it('requires a reason that is not blank', () => {
    const ok = promotionRequestCreateSchema.safeParse({
      from: 'staging',
      to: 'prod',
      reason: 'release 1.4',
    });
    expect(ok.success).toBe(true);
    for (const reason of [undefined, '', '   ', 'a\u0007b']) {
      expect(
        promotionRequestCreateSchema.safeParse({
          from: 'staging',
          to: 'prod',
          reason,
        }).success,
      ).toBe(false);
    }
  });

  it('takes an override reason on a promotion only when it is not blank', () => {
    const base = { from: 'staging', to: 'prod' };
    expect(
      promoteRequestSchema.safeParse({ ...base, overrideReason: 'hotfix' })
        .success,
    ).toBe(true);
    expect(
      promoteRequestSchema.safeParse({ ...base, overrideReason: ' ' }).success,
    ).toBe(false);
  });

  it('names requests by uuid', () => {
    expect(
      promotionRequestParamsSchema.safeParse({
        id: '0b5c2c1e-7a4e-4a53-9d43-5b1f3c0e9a11',
      }).success,
    ).toBe(true);
    expect(promotionRequestParamsSchema.safeParse({ id: '1' }).success).toBe(
      false,
    );
  });
});
