import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EcsDeployApiService } from './service/EcsDeployApiService';

const NAME = /^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$/;
const ENV = /^[a-z][a-z0-9-]{0,30}$/;

const entityParams = z.object({
  kind: z.string().min(1).max(63).regex(NAME, 'must be a valid entity kind'),
  namespace: z.string().min(1).max(63).regex(NAME, 'must be a valid namespace'),
  name: z.string().min(1).max(63).regex(NAME, 'must be a valid entity name'),
});
const groupParams = entityParams.omit({ kind: true });
const envName = z
  .string()
  .regex(ENV, 'must be an environment name like "prod"');
const taskDefinitionArn = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/,
    'must be a task definition ARN',
  );
const reason = z.string().max(500).optional();

const promoteBody = z
  .object({
    from: envName,
    to: envName,
    expectedTargetTaskDefinition: taskDefinitionArn.optional(),
    reason,
  })
  .strict();
const rollbackBody = z
  .object({
    environment: envName,
    expectedTaskDefinition: taskDefinitionArn.optional(),
    reason,
  })
  .strict();
const promotionQuery = z.object({ from: envName, to: envName });
const environmentQuery = z.object({ environment: envName });
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return result.data;
}

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  api: EcsDeployApiService;
}

/** Thin HTTP layer: validate, authenticate, call the service. Errors map to statuses upstream. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, api } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  const entity = async (
    req: express.Request,
    allow: Array<'user' | 'service'>,
  ) => {
    const params = parse(entityParams, req.params, 'entity reference');
    const credentials = await httpAuth.credentials(req, { allow });
    const found: Entity = await api.loadEntity(params, credentials);
    return { entity: found };
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/info', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(api.info());
  });

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const { entity: e } = await entity(req, ['user', 'service']);
    res.json(await api.status.entityStatus(e));
  });

  router.get('/entities/:kind/:namespace/:name/tasks', async (req, res) => {
    const { environment } = parse(environmentQuery, req.query, 'query');
    const { entity: e } = await entity(req, ['user', 'service']);
    res.json(await api.tasks(e, environment));
  });

  router.get(
    '/entities/:kind/:namespace/:name/promotions/preview',
    async (req, res) => {
      const { from, to } = parse(promotionQuery, req.query, 'query');
      const { entity: e } = await entity(req, ['user', 'service']);
      res.json(await api.promotions.previewPromotion(e, from, to));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      const body = parse(promoteBody, req.body, 'promotion request');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const e = await api.loadEntity(
        parse(entityParams, req.params, 'entity reference'),
        credentials,
      );
      const outcome = await api.promotions.promote(e, body, {
        credentials,
        userEntityRef: credentials.principal.userEntityRef,
      });
      res.status(201).json(outcome);
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/rollbacks/preview',
    async (req, res) => {
      const { environment } = parse(environmentQuery, req.query, 'query');
      const { entity: e } = await entity(req, ['user', 'service']);
      res.json(await api.promotions.previewRollback(e, environment));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/rollbacks',
    async (req, res) => {
      const body = parse(rollbackBody, req.body, 'rollback request');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const e = await api.loadEntity(
        parse(entityParams, req.params, 'entity reference'),
        credentials,
      );
      const outcome = await api.promotions.rollback(e, body, {
        credentials,
        userEntityRef: credentials.principal.userEntityRef,
      });
      res.status(201).json(outcome);
    },
  );

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const { limit } = parse(historyQuery, req.query, 'query');
    const { entity: e } = await entity(req, ['user', 'service']);
    res.json({ items: await api.promotions.history(e, limit) });
  });

  router.get('/teams/:namespace/:name/status', async (req, res) => {
    const params = parse(groupParams, req.params, 'group reference');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await api.teamStatus(params, credentials));
  });

  return router;
}
