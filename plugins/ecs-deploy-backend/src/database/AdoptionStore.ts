import { Knex } from 'knex';
import { isUniqueViolation } from './auditRows';

const TABLE = 'ecs_deploy_adoptions';

/** One adopted ECS service in one environment. */
export interface AdoptionRow {
  environment: string;
  serviceName: string;
  cluster: string;
  serviceArn: string;
  entityRef: string;
  owner: string;
  actor: string;
  previousEntityRefTag?: string;
  /** The image parameters the adoption created (removed again on release). */
  createdParameters: string[];
  createdAt: Date;
}

const toRow = (a: AdoptionRow) => ({
  environment: a.environment,
  service_name: a.serviceName,
  cluster: a.cluster,
  service_arn: a.serviceArn,
  entity_ref: a.entityRef,
  owner: a.owner,
  actor: a.actor,
  previous_entity_ref_tag: a.previousEntityRefTag ?? null,
  created_parameters: JSON.stringify(a.createdParameters),
  created_at: a.createdAt,
});

const fromRow = (r: any): AdoptionRow => ({
  environment: r.environment,
  serviceName: r.service_name,
  cluster: r.cluster,
  serviceArn: r.service_arn,
  entityRef: r.entity_ref,
  owner: r.owner,
  actor: r.actor,
  previousEntityRefTag: r.previous_entity_ref_tag ?? undefined,
  createdParameters: JSON.parse(r.created_parameters),
  createdAt: new Date(r.created_at),
});

/**
 * The one writer of `ecs_deploy_adoptions`. A claim inserts the rows of every environment in one
 * transaction: of two adopters racing on any replica, the primary key lets exactly one in.
 */
export class AdoptionStore {
  constructor(private readonly db: Knex) {}

  /** Inserts the rows; when one exists already, inserts none and returns its holder. */
  async claim(rows: AdoptionRow[]): Promise<AdoptionRow | undefined> {
    try {
      await this.db.transaction(tx => tx(TABLE).insert(rows.map(toRow)));
      return undefined;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const held = await this.find(
        rows.map(r => [r.environment, r.serviceName]),
      );
      // Released between the insert and this read: report the first row wanted as the holder.
      return held[0] ?? rows[0];
    }
  }

  async recordCreated(
    environment: string,
    serviceName: string,
    parameters: string[],
  ): Promise<void> {
    await this.db(TABLE)
      .where({ environment, service_name: serviceName })
      .update({ created_parameters: JSON.stringify(parameters) });
  }

  async get(
    environment: string,
    serviceName: string,
  ): Promise<AdoptionRow | undefined> {
    return (await this.find([[environment, serviceName]]))[0];
  }

  async release(environment: string, serviceName: string): Promise<void> {
    await this.db(TABLE)
      .where({ environment, service_name: serviceName })
      .delete();
  }

  private async find(keys: Array<[string, string]>): Promise<AdoptionRow[]> {
    const rows = await this.db(TABLE).where(q => {
      for (const [environment, serviceName] of keys) {
        q.orWhere({ environment, service_name: serviceName });
      }
    });
    return rows.map(fromRow);
  }
}
