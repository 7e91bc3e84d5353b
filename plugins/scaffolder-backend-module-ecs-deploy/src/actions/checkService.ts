import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { EcsDeployScaffolderOptions } from '../config';
import { serviceInputFields } from '../input';
import { entityRefOf } from '../render';
import { ServiceClaims } from '../serviceClaims';
import { toServiceSpec } from '../serviceSpec';
import { examples } from './checkService.examples';

/** Id of the action. */
export const CHECK_SERVICE_ACTION_ID = 'ecs-deploy:check-service';

/**
 * `ecs-deploy:check-service`: the first step of the ECS service template. Checks every input with
 * the rules of ecs-deploy:render-service, then the claims: the name is free (catalog, ECS in every
 * environment, earlier local publishes) and the owner is an existing Group the caller belongs to.
 * Writes nothing, in dry runs and real runs alike.
 *
 * @public
 */
export function createCheckServiceAction(options: {
  scaffolder: EcsDeployScaffolderOptions;
  claims: ServiceClaims;
}) {
  const { scaffolder, claims } = options;
  return createTemplateAction({
    id: CHECK_SERVICE_ACTION_ID,
    description:
      'Checks a new ECS service before anything is written: every input (the rules of ecs-deploy:render-service), a free name (no entity, no ECS service in any environment, no earlier local publish) and an owner group the caller belongs to.',
    examples,
    supportsDryRun: true,
    schema: {
      input: serviceInputFields,
      output: {
        entityRef: z =>
          z.string().describe('Entity reference the new component will have.'),
        owner: z =>
          z
            .string()
            .describe('The owner as a full group reference (group:default/x).'),
      },
    },
    async handler(ctx) {
      const spec = toServiceSpec(ctx.input, scaffolder);
      await claims.assertOwner(spec.owner, await ctx.getInitiatorCredentials());
      await claims.assertNameFree(spec.name);
      ctx.logger.info(
        `${spec.name} is free and may be owned by ${spec.owner}; the input is valid`,
      );
      ctx.output('entityRef', entityRefOf(spec.name));
      ctx.output('owner', spec.owner);
    },
  });
}
