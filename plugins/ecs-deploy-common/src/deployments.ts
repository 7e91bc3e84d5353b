/*
 * The requests of the deployment controls (hold, continue, abort, skip a bake), as zod schemas the
 * router parses with and the client checks with.
 */
import { z } from 'zod';
import { reasonSchema, requiredReasonSchema } from './requests';
import { environmentNameSchema } from './rules/names';

/**
 * `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`: the deployment
 * the caller saw; refused with 409 when another one is in progress now. @public
 */
export const serviceDeploymentArnSchema = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service-deployment\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/,
    'must be a service deployment ARN',
  );

/** `POST …/deployment/hold`, `…/deployment/continue` and `…/deployment/abort` @public */
export const deploymentHoldRequestSchema = z
  .object({
    environment: environmentNameSchema,
    expectedServiceDeployment: serviceDeploymentArnSchema.optional(),
    reason: reasonSchema.optional(),
  })
  .strict();
/** @public */
export type DeploymentHoldRequest = z.infer<typeof deploymentHoldRequestSchema>;

/** `POST …/deployment/skip-bake`: an admin's, with a reason (audited). @public */
export const skipBakeRequestSchema = z
  .object({
    environment: environmentNameSchema,
    expectedServiceDeployment: serviceDeploymentArnSchema.optional(),
    reason: requiredReasonSchema,
  })
  .strict();
/** @public */
export type SkipBakeRequest = z.infer<typeof skipBakeRequestSchema>;
