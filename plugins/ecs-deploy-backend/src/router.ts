import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  deploymentHoldRequestSchema,
  entityParamsSchema,
  environmentQuerySchema,
  groupParamsSchema,
  historyQuerySchema,
  logsQuerySchema,
  orgStatusQuerySchema,
  promoteRequestSchema,
  promotionPreviewQuerySchema,
  promotionRequestCreateSchema,
  promotionRequestDecisionSchema,
  promotionRequestListQuerySchema,
  promotionRequestParamsSchema,
  reverifyRequestSchema,
  rollbackRequestSchema,
  serviceNameParamsSchema,
  verificationDecisionSchema,
  verificationListQuerySchema,
  verificationParamsSchema,
  skipBakeRequestSchema,
} from '@deployment-portal/plugin-ecs-deploy-common';
import express from 'express';
import Router from 'express-promise-router';
import { onboardingRouter } from './onboardingRouter';
import { parse } from './parse';
import type { Caller, EntityAccess } from './services/catalog/types';
import type { InfoService } from './services/InfoService';
import type { LogsService } from './services/logs/types';
import type { ServiceNameService } from './services/names/types';
import type {
  AdoptionJobService,
  AdoptionService,
  UnclaimedServicesService,
} from './services/onboarding/types';
import type {
  PromotionRequestService,
  PromotionService,
} from './services/promotion/types';
import type {
  StatusService,
  StatusUpdatesSource,
} from './services/status/types';
import type { VerificationService } from './services/verification/types';
import type { DeploymentControlService } from './services/strategies/types';

/** What the router calls: interfaces only. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  entities: EntityAccess;
  status: StatusService;
  promotions: PromotionService;
  names: ServiceNameService;
  info: InfoService;
  logs: LogsService;
  requests: PromotionRequestService;
  unclaimed: UnclaimedServicesService;
  adoptions: AdoptionService;
  adoptionJobs: AdoptionJobService;
  verifications: VerificationService;
  /** Events or polling: a field of /health. */
  updates: StatusUpdatesSource;
  controls: DeploymentControlService;
}

/** Thin HTTP layer: validate, authenticate, call a service. Errors map to statuses upstream. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, entities, status, promotions, names, info, logs } = options;
  const { requests, verifications, controls } = options;
  const router = Router();
  // A bulk adoption names up to 1,000 services; every other body is small.
  router.use('/adoption-jobs', express.json({ limit: '512kb' }));
  router.use(express.json({ limit: '16kb' }));

  /** The caller, and the entity of the path read with the caller's credentials. */
  const entityFor = async (
    req: express.Request,
    allow: Array<'user' | 'service'>,
  ) => {
    const ref = parse(entityParamsSchema, req.params, 'entity reference');
    const credentials = await httpAuth.credentials(req, { allow });
    const principal = credentials.principal as {
      userEntityRef?: string;
      subject?: string;
    };
    const who: Caller = {
      credentials,
      userEntityRef: principal.userEntityRef ?? principal.subject ?? 'unknown',
    };
    return { who, entity: await entities.loadEntity(ref, credentials) };
  };
  const readers: Array<'user' | 'service'> = ['user', 'service'];

  router.get('/health', async (_req, res) => {
    res.json({ status: 'ok', statusUpdates: await options.updates.updates() });
  });

  router.get('/info', async (req, res) => {
    await httpAuth.credentials(req, { allow: readers });
    res.json(info.info());
  });

  router.get('/service-names/:name', async (req, res) => {
    const { name } = parse(serviceNameParamsSchema, req.params, 'name');
    await httpAuth.credentials(req, { allow: readers });
    res.json(await names.check(name));
  });

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const { entity } = await entityFor(req, readers);
    res.json(await status.entityStatus(entity));
  });

  router.get('/entities/:kind/:namespace/:name/tasks', async (req, res) => {
    const { environment } = parse(environmentQuerySchema, req.query, 'query');
    const { entity } = await entityFor(req, readers);
    res.json(await status.tasks(entity, environment));
  });

  router.get(
    '/entities/:kind/:namespace/:name/promotions/preview',
    async (req, res) => {
      const query = parse(promotionPreviewQuerySchema, req.query, 'query');
      const { who, entity } = await entityFor(req, readers);
      res.json(await promotions.previewPromotion(entity, query, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotions',
    async (req, res) => {
      const body = parse(promoteRequestSchema, req.body, 'promotion request');
      const { who, entity } = await entityFor(req, ['user']);
      res.status(201).json(await promotions.promote(entity, body, who));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/rollbacks/preview',
    async (req, res) => {
      const { environment } = parse(environmentQuerySchema, req.query, 'query');
      const { who, entity } = await entityFor(req, readers);
      res.json(await promotions.previewRollback(entity, environment, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/rollbacks',
    async (req, res) => {
      const body = parse(rollbackRequestSchema, req.body, 'rollback request');
      const { who, entity } = await entityFor(req, ['user']);
      res.status(201).json(await promotions.rollback(entity, body, who));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/promotion-requests',
    async (req, res) => {
      const query = parse(promotionRequestListQuerySchema, req.query, 'query');
      // Users only: whether the caller may decide is part of the answer.
      const { who, entity } = await entityFor(req, ['user']);
      res.json(await requests.list(entity, query, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotion-requests',
    async (req, res) => {
      const body = parse(
        promotionRequestCreateSchema,
        req.body,
        'promotion request',
      );
      const { who, entity } = await entityFor(req, ['user']);
      res.status(201).json(await requests.create(entity, body, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/promotion-requests/:id/:decision(approve|reject)',
    async (req, res) => {
      const { id } = parse(
        promotionRequestParamsSchema,
        { id: req.params.id },
        'promotion request id',
      );
      const body = parse(promotionRequestDecisionSchema, req.body, 'decision');
      if (req.params.decision === 'reject' && body.overrideReason) {
        throw new InputError(
          'Invalid decision: overrideReason applies to an approval only',
        );
      }
      const { who, entity } = await entityFor(req, ['user']);
      res.json(
        req.params.decision === 'approve'
          ? await requests.approve(entity, id, body, who)
          : await requests.reject(entity, id, body, who),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/verifications',
    async (req, res) => {
      const query = parse(verificationListQuerySchema, req.query, 'query');
      // Users only: whether the caller may decide is part of the answer.
      const { who, entity } = await entityFor(req, ['user']);
      res.json(await verifications.list(entity, query, who));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployment/controls',
    async (req, res) => {
      const { environment } = parse(environmentQuerySchema, req.query, 'query');
      // Users only: what the caller may do is part of the answer.
      const { who, entity } = await entityFor(req, ['user']);
      res.json(await controls.controls(entity, environment, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/verifications',
    async (req, res) => {
      const body = parse(reverifyRequestSchema, req.body, 're-verify request');
      const { who, entity } = await entityFor(req, ['user']);
      res.status(201).json(await verifications.reverify(entity, body, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/verifications/:id/:decision(continue|abort)',
    async (req, res) => {
      const { id } = parse(
        verificationParamsSchema,
        { id: req.params.id },
        'verification id',
      );
      const body = parse(verificationDecisionSchema, req.body, 'decision');
      const { who, entity } = await entityFor(req, ['user']);
      const decision = req.params.decision as 'continue' | 'abort';
      res.json(await verifications.resolve(entity, id, decision, body, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployment/:action(hold|continue|abort)',
    async (req, res) => {
      const body = parse(
        deploymentHoldRequestSchema,
        req.body,
        req.params.action,
      );
      const { who, entity } = await entityFor(req, ['user']);
      const act = {
        hold: controls.hold,
        continue: controls.continue,
        abort: controls.abort,
      }[req.params.action as 'hold' | 'continue' | 'abort'];
      res.json(await act.call(controls, entity, body, who));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployment/skip-bake',
    async (req, res) => {
      const body = parse(skipBakeRequestSchema, req.body, 'skip-bake');
      const { who, entity } = await entityFor(req, ['user']);
      res.json(await controls.skipBake(entity, body, who));
    },
  );

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const { limit } = parse(historyQuerySchema, req.query, 'query');
    const { entity } = await entityFor(req, readers);
    res.json({ items: await promotions.history(entity, limit) });
  });

  router.get('/entities/:kind/:namespace/:name/logs', async (req, res) => {
    const query = parse(logsQuerySchema, req.query, 'query');
    // Users only: the permission (owners and admins) is a user's.
    const { who, entity } = await entityFor(req, ['user']);
    res.json(await logs.read(entity, query, who));
  });

  router.get('/services', async (req, res) => {
    const query = parse(orgStatusQuerySchema, req.query, 'query');
    const credentials = await httpAuth.credentials(req, { allow: readers });
    res.json(await status.orgStatus(entities.orgEntities(credentials), query));
  });

  router.get('/teams/:namespace/:name/status', async (req, res) => {
    const ref = parse(groupParamsSchema, req.params, 'group reference');
    const credentials = await httpAuth.credentials(req, { allow: readers });
    const team = await entities.teamEntities(ref, credentials);
    res.json(await status.teamStatus(team.groupRef, team.entities));
  });

  router.use(await onboardingRouter(options));

  // Anything else under the plugin: a JSON 404 naming the path, like every other error.
  router.use((req, _res) => {
    throw new NotFoundError(
      `No such route: ${req.method} ${req.originalUrl.split('?')[0]}`,
    );
  });

  return router;
}
