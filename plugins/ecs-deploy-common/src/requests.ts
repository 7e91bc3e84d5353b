/*
 * The request side of the HTTP contract, as zod schemas: the backend's router parses with them
 * and the frontend client checks its requests with them, so the two cannot disagree.
 */
import { z } from 'zod';
import { environmentNameSchema } from './rules/names';

const ENTITY_PART = /^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$/;

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` @public */
export const taskDefinitionArnSchema = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/,
    'must be a task definition ARN',
  );

/** C0 control characters and DEL, but the line feed. */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LF = /^[^\u0000-\u0009\u000b-\u001f\u007f]*$/;

/** A free-text reason: one paragraph, no control characters but line breaks. @public */
export const reasonSchema = z
  .string()
  .max(500)
  .regex(CONTROL_BUT_LF, 'must not contain control characters');

/** A reason that must be given: not blank. @public */
export const requiredReasonSchema = reasonSchema.regex(
  /\S/,
  'must not be empty',
);

/**
 * The id of a change ticket in the organisation's ITSM (`CHG0012345`, `CHG-42`): what a gate such
 * as "prod needs an approved change ticket" looks up. @public
 */
export const changeTicketSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
    'must be a ticket id (letters, digits, ".", "_", ":" or "-")',
  );

/** Path parameters naming an entity. @public */
export const entityParamsSchema = z.object({
  kind: z
    .string()
    .min(1)
    .max(63)
    .regex(ENTITY_PART, 'must be a valid entity kind'),
  namespace: z
    .string()
    .min(1)
    .max(63)
    .regex(ENTITY_PART, 'must be a valid namespace'),
  name: z
    .string()
    .min(1)
    .max(63)
    .regex(ENTITY_PART, 'must be a valid entity name'),
});

/** Path parameters naming a group. @public */
export const groupParamsSchema = entityParamsSchema.omit({ kind: true });

/** `POST …/promotions` @public */
export const promoteRequestSchema = z
  .object({
    from: environmentNameSchema,
    to: environmentNameSchema,
    /** ARN of the target's task definition the caller saw; refused with 409 when it changed. */
    expectedTargetTaskDefinition: taskDefinitionArnSchema.optional(),
    reason: reasonSchema.optional(),
    /** The change ticket the promotion carries out (recorded; promotion gates may require one). */
    changeTicket: changeTicketSchema.optional(),
    /** An admin's reason to promote while a freeze window is open (audited). */
    overrideReason: requiredReasonSchema.optional(),
  })
  .strict();
/** @public */
export type PromoteRequest = z.infer<typeof promoteRequestSchema>;

/** `POST …/promotion-requests`: ask for a promotion that needs an approval. @public */
export const promotionRequestCreateSchema = z
  .object({
    from: environmentNameSchema,
    to: environmentNameSchema,
    /** ARN of the target's task definition the caller saw; refused with 409 when it changed. */
    expectedTargetTaskDefinition: taskDefinitionArnSchema.optional(),
    reason: requiredReasonSchema,
    /** The change ticket the promotion carries out; the gates check it at approval. */
    changeTicket: changeTicketSchema.optional(),
  })
  .strict();
/** @public */
export type PromotionRequestCreate = z.infer<
  typeof promotionRequestCreateSchema
>;

/** `POST …/promotion-requests/:id/approve|reject` @public */
export const promotionRequestDecisionSchema = z
  .object({
    reason: reasonSchema.optional(),
    /** Approve only: an admin's reason to promote while a freeze window is open. */
    overrideReason: requiredReasonSchema.optional(),
  })
  .strict();
/** @public */
export type PromotionRequestDecisionBody = z.infer<
  typeof promotionRequestDecisionSchema
>;

/** `GET …/promotion-requests?state=&limit=` @public */
export const promotionRequestListQuerySchema = z.object({
  state: z
    .enum(['pending', 'approved', 'rejected', 'withdrawn', 'expired', 'stale'])
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Path parameters of one promotion request. @public */
export const promotionRequestParamsSchema = z.object({
  id: z.string().uuid('must be a promotion request id'),
});

/** `POST …/rollbacks` @public */
export const rollbackRequestSchema = z
  .object({
    environment: environmentNameSchema,
    /** ARN of the task definition the caller saw running; refused with 409 when it changed. */
    expectedTaskDefinition: taskDefinitionArnSchema.optional(),
    reason: reasonSchema.optional(),
    /** An admin's reason to roll back while a freeze window is open (audited). */
    overrideReason: requiredReasonSchema.optional(),
  })
  .strict();
/** @public */
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;

/**
 * `GET …/promotions/preview?from=&to=&reason=&changeTicket=`: `reason` and `changeTicket` are what
 * the promotion would carry, for the promotion gates that read them.
 *
 * @public
 */
export const promotionPreviewQuerySchema = z.object({
  from: environmentNameSchema,
  to: environmentNameSchema,
  reason: reasonSchema.optional(),
  changeTicket: changeTicketSchema.optional(),
});
/** @public */
export type PromotionPreviewQuery = z.infer<typeof promotionPreviewQuerySchema>;

/** `?environment=` of the tasks and rollback preview routes. @public */
export const environmentQuerySchema = z.object({
  environment: environmentNameSchema,
});

/** `GET …/history?limit=` @public */
export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** `GET …/verifications?environment=&limit=` @public */
export const verificationListQuerySchema = z.object({
  environment: environmentNameSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** `POST …/verifications`: verify what an environment runs now, again (an owner). @public */
export const reverifyRequestSchema = z
  .object({
    environment: environmentNameSchema,
    reason: reasonSchema.optional(),
  })
  .strict();
/** @public */
export type ReverifyRequest = z.infer<typeof reverifyRequestSchema>;

/** Path parameters of one verification. @public */
export const verificationParamsSchema = z.object({
  id: z.string().uuid('must be a verification id'),
});

/** `POST …/verifications/:id/continue|abort`: an owner's decision on a held verification. @public */
export const verificationDecisionSchema = z
  .object({
    reason: reasonSchema.optional(),
  })
  .strict();
/** @public */
export type VerificationDecisionBody = z.infer<
  typeof verificationDecisionSchema
>;

/** An ECS task id: the last part of its ARN (32 hex characters on AWS). */
const TASK_ID = '[A-Za-z0-9-]{1,64}';
const isoTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO-8601 time' });

/**
 * `GET …/logs?environment=&taskId=&revision=&filter=&since=&until=&nextToken=&limit=`: the newest
 * lines of one environment's tasks. `taskId` names up to 10 tasks (comma-separated), `revision`
 * the tasks of one task definition revision; `filter` is a CloudWatch Logs filter pattern;
 * `nextToken` (from the previous answer, same query) reads the lines before it.
 *
 * @public
 */
export const logsQuerySchema = z
  .object({
    environment: environmentNameSchema,
    taskId: z
      .string()
      .regex(
        new RegExp(`^${TASK_ID}(,${TASK_ID}){0,9}$`),
        'must be up to 10 task ids separated by commas',
      )
      .transform(ids => [...new Set(ids.split(','))])
      .optional(),
    revision: z.coerce.number().int().min(1).max(1_000_000).optional(),
    filter: z
      .string()
      .max(1024)
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
      .optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    nextToken: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a token from a previous answer')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .refine(q => !(q.taskId && q.revision), {
    message: 'give either taskId or revision, not both',
    path: ['revision'],
  })
  .refine(
    q => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until),
    {
      message: 'must be before until',
      path: ['since'],
    },
  );
/** What the frontend sends. @public */
export type LogsQuery = z.input<typeof logsQuerySchema>;
/** The query after parsing: task ids as a list. @public */
export type ParsedLogsQuery = z.output<typeof logsQuerySchema>;

/**
 * `GET /service-names/:name`: any short string; an invalid name is answered as unavailable
 * (conflict `invalid-name`) so that a form can show the rule.
 *
 * @public
 */
export const serviceNameParamsSchema = z.object({
  name: z.string().min(1).max(100),
});

/**
 * `GET /services?team=&lag=&health=&q=&sort=&order=&offset=&limit=`: filters of the
 * organisation-wide view (lag and health apply to the first promotion path and its target).
 *
 * @public
 */
export const orgStatusQuerySchema = z.object({
  /** A group ref, or `unowned` for the services without an owner (as the view's teams list them). */
  team: z
    .string()
    .max(200)
    .regex(
      /^(unowned|group:[a-z0-9._-]+\/[a-zA-Z0-9._-]+)$/,
      'must be a group ref like group:default/team-payments, or unowned',
    )
    .optional(),
  lag: z.enum(['behind', 'level', 'not-deployed', 'unknown']).optional(),
  health: z
    .enum([
      'healthy',
      'progressing',
      'degraded',
      'failed',
      'not-deployed',
      'unknown',
    ])
    .optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(['name', 'team', 'health', 'lag']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** @public */
export type OrgStatusQuery = z.input<typeof orgStatusQuerySchema>;
/** The query after parsing: defaults applied. @public */
export type ParsedOrgStatusQuery = z.output<typeof orgStatusQuerySchema>;
