import {
  ContainerImage,
  PromotionRequest,
  PromotionRequestState,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toIso } from './auditRows';

const TABLE = 'ecs_deploy_promotion_requests';

/** A request as it is stored (the caller-specific `canDecide` is the service's). */
export type StoredPromotionRequest = Omit<PromotionRequest, 'canDecide'>;

/** What deciding a request records. */
export type RequestTransition = Pick<PromotionRequest, 'state'> &
  Partial<
    Pick<
      PromotionRequest,
      'decidedBy' | 'decidedAt' | 'decisionReason' | 'message' | 'auditId'
    >
  >;

/** Promotion requests in the plugin's database. @public */
export interface PromotionRequestStore {
  insert(
    request: Omit<StoredPromotionRequest, 'id' | 'createdAt' | 'state'>,
  ): Promise<StoredPromotionRequest>;
  get(id: string): Promise<StoredPromotionRequest | undefined>;
  /** The entity's requests, newest first. */
  list(
    entityRef: string,
    options: { state?: PromotionRequestState; limit: number },
  ): Promise<StoredPromotionRequest[]>;
  /** Moves the entity's pending requests past their expiry to `expired`. */
  expireOverdue(entityRef: string, now: Date): Promise<void>;
  /** Moves a request from `from` (compare-and-set); false when it was no longer in `from`. */
  transition(
    id: string,
    from: PromotionRequestState,
    to: RequestTransition,
  ): Promise<boolean>;
}

type Row = {
  id: string;
  entity_ref: string;
  from_environment: string;
  to_environment: string;
  images: string;
  source_task_definition: string;
  target_task_definition: string;
  requester: string;
  reason: string;
  change_ticket?: string | null;
  state: string;
  message: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
  audit_id: string | null;
};

function fromRow(row: Row): StoredPromotionRequest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    from: row.from_environment,
    to: row.to_environment,
    images: JSON.parse(row.images) as ContainerImage[],
    sourceTaskDefinition: row.source_task_definition,
    targetTaskDefinition: row.target_task_definition,
    requester: row.requester,
    reason: row.reason,
    changeTicket: row.change_ticket ?? undefined,
    state: row.state as PromotionRequestState,
    message: row.message ?? undefined,
    createdAt: toIso(row.created_at)!,
    expiresAt: toIso(row.expires_at)!,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: toIso(row.decided_at),
    decisionReason: row.decision_reason ?? undefined,
    auditId: row.audit_id ?? undefined,
  };
}

/** Knex {@link PromotionRequestStore} for SQLite and PostgreSQL. */
export class DatabasePromotionRequestStore implements PromotionRequestStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async insert(
    request: Omit<StoredPromotionRequest, 'id' | 'createdAt' | 'state'>,
  ): Promise<StoredPromotionRequest> {
    const row: Row = {
      id: randomUUID(),
      entity_ref: request.entityRef,
      from_environment: request.from,
      to_environment: request.to,
      images: JSON.stringify(request.images),
      source_task_definition: request.sourceTaskDefinition,
      target_task_definition: request.targetTaskDefinition,
      requester: request.requester,
      reason: request.reason,
      change_ticket: request.changeTicket ?? null,
      state: 'pending',
      message: null,
      created_at: new Date(),
      expires_at: new Date(request.expiresAt),
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      audit_id: null,
    };
    await this.db(TABLE).insert(row);
    return fromRow(row);
  }

  async get(id: string): Promise<StoredPromotionRequest | undefined> {
    const row = await this.db<Row>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(
    entityRef: string,
    options: { state?: PromotionRequestState; limit: number },
  ): Promise<StoredPromotionRequest[]> {
    const rows = await this.db<Row>(TABLE)
      .where({ entity_ref: entityRef })
      .modify(q => {
        if (options.state) q.andWhere({ state: options.state });
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(fromRow);
  }

  async expireOverdue(entityRef: string, now: Date): Promise<void> {
    await this.db(TABLE)
      .where({ entity_ref: entityRef, state: 'pending' })
      .andWhere('expires_at', '<', now)
      .update({ state: 'expired', decided_at: now });
  }

  async transition(
    id: string,
    from: PromotionRequestState,
    to: RequestTransition,
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ id, state: from })
      .update({
        state: to.state,
        ...(to.decidedBy !== undefined && { decided_by: to.decidedBy }),
        ...(to.decidedAt !== undefined && {
          decided_at: new Date(to.decidedAt),
        }),
        ...(to.decisionReason !== undefined && {
          decision_reason: to.decisionReason,
        }),
        ...(to.message !== undefined && { message: to.message }),
        ...(to.auditId !== undefined && { audit_id: to.auditId }),
      });
    return updated === 1;
  }
}
