import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  adoptionJobParamsSchema,
  adoptionJobRequestSchema,
  adoptionParamsSchema,
  adoptionRequestSchema,
  unclaimedServicesQuerySchema,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type express from 'express';
import Router from 'express-promise-router';
import { parse } from './parse';
import type { Caller } from './services/catalog/types';
import type {
  AdoptionJobService,
  AdoptionService,
  UnclaimedServicesService,
} from './services/onboarding/types';

/** Onboarding: the unclaimed services and their adoption. Users only: the decisions are a user's. */
export async function onboardingRouter(options: {
  httpAuth: HttpAuthService;
  unclaimed: UnclaimedServicesService;
  adoptions: AdoptionService;
  adoptionJobs: AdoptionJobService;
}): Promise<express.Router> {
  const { httpAuth, unclaimed, adoptions, adoptionJobs } = options;
  const router = Router();

  const caller = async (req: express.Request): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userEntityRef: credentials.principal.userEntityRef };
  };

  router.get('/unclaimed-services', async (req, res) => {
    const query = parse(unclaimedServicesQuerySchema, req.query, 'query');
    const { credentials } = await caller(req);
    res.json(await unclaimed.list(query, credentials));
  });

  router.get('/adopter', async (req, res) => {
    res.json(await adoptions.adopter(await caller(req)));
  });

  router.post('/adoptions', async (req, res) => {
    const body = parse(adoptionRequestSchema, req.body, 'adoption');
    const result = await adoptions.adopt(body, await caller(req));
    res.status(result.dryRun || result.alreadyAdopted ? 200 : 201).json(result);
  });

  router.delete('/adoptions/:environment/:serviceName', async (req, res) => {
    const { environment, serviceName } = parse(
      adoptionParamsSchema,
      req.params,
      'adoption',
    );
    await adoptions.release(environment, serviceName, await caller(req));
    res.status(204).end();
  });

  router.post('/adoption-jobs', async (req, res) => {
    const body = parse(adoptionJobRequestSchema, req.body, 'adoption job');
    if (body.dryRun) {
      res.json(await adoptionJobs.preview(body, await caller(req)));
      return;
    }
    res.status(202).json(await adoptionJobs.start(body, await caller(req)));
  });

  router.get('/adoption-jobs/:id', async (req, res) => {
    const { id } = parse(adoptionJobParamsSchema, req.params, 'adoption job');
    res.json(await adoptionJobs.get(id, await caller(req)));
  });

  return router;
}
