import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ECS_DEPLOY_TAGS,
  type AdoptionResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { AdoptionClient } from '../adoptionClient';
import { examples } from './claimService.examples';

/** Id of the action. */
export const CLAIM_SERVICE_ACTION_ID = 'ecs-deploy:claim-service';

/**
 * `ecs-deploy:claim-service`: claims an existing ECS service for the new component through the
 * ecs-deploy backend, as the task's initiator: the backend checks that the initiator is a member
 * of the service's suggested owner group or an admin, that nobody owns or is adopting it, then
 * tags it `backstage:entity-ref` and creates the image parameters from the running images in each
 * environment (audited; undone by `DELETE /api/ecs-deploy/adoptions/:environment/:service`); the
 * roots' import apply (ecs-deploy:provision) then imports them. A dry run asks the backend to
 * check only.
 *
 * @public
 */
export function createClaimServiceAction(options: {
  adoptions: AdoptionClient;
}) {
  const { adoptions } = options;
  return createTemplateAction({
    id: CLAIM_SERVICE_ACTION_ID,
    description:
      'Claims an existing ECS service for a new component (members of its suggested owner group or admins, through the ecs-deploy backend): tags it backstage:entity-ref and creates its image parameters in each environment.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'ECS service name, also the new component’s name (the naming rules apply).',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'Group ref of the owner: the suggested owner group (members), any group (admins).',
            ),
        environments: z =>
          z
            .array(z.string())
            .min(1)
            .describe('Environments whose service is claimed.'),
      },
      output: {
        entityRef: z =>
          z.string().describe('Entity reference the service is tagged with.'),
        serviceArns: z =>
          z
            .array(z.string())
            .describe('The tagged ECS services, one per environment.'),
      },
    },
    async handler(ctx) {
      const { name, owner, environments } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const claim = (dryRun: boolean) =>
        adoptions.adopt(
          // Adopted already for this owner (the bulk adoption job): the template goes on to
          // import it and publish its repository.
          {
            serviceName: name,
            owner,
            environments,
            dryRun,
            acceptAdopted: true,
          },
          credentials,
        );
      // A retried task does not claim again (the backend would answer 409): it keeps the answer.
      const result: AdoptionResult = ctx.isDryRun
        ? await claim(true)
        : JSON.parse(
            await ctx.checkpoint({
              key: `claim.${name}.${environments.join(',')}`,
              fn: async () => JSON.stringify(await claim(false)),
            }),
          );
      let verb = ctx.isDryRun ? 'Dry run: would tag' : 'Tagged';
      if (result.alreadyAdopted) verb = 'Adopted already (nothing to tag):';
      for (const s of result.services) {
        ctx.logger.info(
          `${verb} ${s.serviceArn} ${ECS_DEPLOY_TAGS.entityRef}=${result.entityRef}`,
        );
      }
      ctx.output('entityRef', result.entityRef);
      ctx.output(
        'serviceArns',
        result.services.map(s => s.serviceArn),
      );
    },
  });
}
