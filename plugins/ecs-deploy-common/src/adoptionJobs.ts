/*
 * Bulk adoption: an admin adopts many unclaimed ECS services in one job (`POST /adoption-jobs`),
 * previews it first (`dryRun`), and reads its per-service report (`GET /adoption-jobs/:id`).
 */
import { z } from 'zod';
import { adoptionRequestSchema, type AdoptionResult } from './onboarding';

/**
 * `POST /adoption-jobs`: adopt each service as `POST /adoptions` would (the same checks, the tag
 * and the image parameters), admins only. `dryRun` answers a preview per service and writes
 * nothing; otherwise the job is stored and run in the background (202).
 *
 * @public
 */
export const adoptionJobRequestSchema = z
  .object({
    services: z
      .array(adoptionRequestSchema.omit({ dryRun: true, acceptAdopted: true }))
      .min(1)
      .max(1000)
      .refine(
        list => new Set(list.map(s => s.serviceName)).size === list.length,
        'must name each service once',
      ),
    dryRun: z.boolean().default(false),
  })
  .strict();
/** @public */
export type AdoptionJobRequest = z.input<typeof adoptionJobRequestSchema>;

/** `GET /adoption-jobs/:id` path parameters. @public */
export const adoptionJobParamsSchema = z.object({
  id: z.string().uuid(),
});

/** A refusal of one service, as the HTTP error would name it. @public */
export interface AdoptionJobError {
  name: string;
  message: string;
}

/** One service of a preview: what its adoption would write, or why it would be refused. @public */
export interface AdoptionPreviewItem {
  serviceName: string;
  environments: string[];
  owner: string;
  result?: AdoptionResult;
  error?: AdoptionJobError;
}

/** The answer of a dry run of `POST /adoption-jobs`. @public */
export interface AdoptionJobPreview {
  dryRun: true;
  items: AdoptionPreviewItem[];
  /** How many would be adopted, and how many refused. */
  counts: { ok: number; refused: number };
}

/**
 * Where one service of a job is: `pending` (not run yet, or run again after a restart),
 * `adopted` (by this job), `already-adopted` (adopted as this component before: a job run twice
 * changes nothing), `failed` (refused or failed; `error` says why).
 *
 * @public
 */
export type AdoptionJobItemStatus =
  | 'pending'
  | 'adopted'
  | 'already-adopted'
  | 'failed';

/** One service of a job's report. @public */
export interface AdoptionJobItem {
  serviceName: string;
  environments: string[];
  owner: string;
  status: AdoptionJobItemStatus;
  entityRef?: string;
  error?: AdoptionJobError;
  finishedAt?: string;
}

/** A bulk adoption job and its per-service report. @public */
export interface AdoptionJob {
  id: string;
  actor: string;
  createdAt: string;
  /** `completed` once no service is pending. */
  status: 'running' | 'completed';
  finishedAt?: string;
  counts: Record<AdoptionJobItemStatus, number>;
  items: AdoptionJobItem[];
}
