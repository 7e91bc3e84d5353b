/*
 * The priority of a new service's rule on its environment's shared ALB listener (canary, linear
 * and blue/green route through one). Priorities are unique per listener, so the allocation reads
 * the listener's rules through ELBv2: the rule this service already has (tagged with its entity
 * ref by the ecs-service module) keeps its priority, so re-rendering changes nothing; otherwise the
 * service's preferred priority (a hash of its name in a band reserved for generated services) or,
 * when another rule holds it, the next free one. Read-only. AWS credentials come from the SDK's
 * default chain, as Terraform's do.
 */
import {
  DescribeRulesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import type {
  EcsDeployScaffolderOptions,
  ScaffolderEnvironment,
} from './config';
import { environmentClientConfig } from './environmentAws';
import { refusal } from './errors';

/**
 * Generated services' rules live in 10000-49999; 1-9999 stay free for a platform team's own rules
 * (ELBv2 evaluates lower priorities first).
 */
export const GENERATED_PRIORITY_MIN = 10000;
export const GENERATED_PRIORITY_MAX = 49999;
const BAND = GENERATED_PRIORITY_MAX - GENERATED_PRIORITY_MIN + 1;

/** The tag the ecs-service module puts on everything it creates, the listener rule included. */
const ENTITY_REF_TAG = 'backstage:entity-ref';

/** Picks the listener rule priority of `entityRef`'s service (`name`) in `env`. */
export type ListenerPriorityAllocator = (
  env: ScaffolderEnvironment,
  name: string,
  entityRef: string,
) => Promise<number>;

/** Where `name` starts looking: stable for a name, spread over the band. */
export function preferredPriority(name: string): number {
  const hash = createHash('sha256').update(name).digest().readUInt32BE(0);
  return GENERATED_PRIORITY_MIN + (hash % BAND);
}

/**
 * The priority for `entityRef` given the listener's rules (`priority` → entity ref tag, if any):
 * the one its rule has, else the first free one from {@link preferredPriority} (wrapping in the
 * band).
 */
export function choosePriority(
  name: string,
  entityRef: string,
  rules: ReadonlyMap<number, string | undefined>,
): number {
  for (const [priority, owner] of rules) {
    if (owner === entityRef) {
      return priority;
    }
  }
  const start = preferredPriority(name) - GENERATED_PRIORITY_MIN;
  for (let i = 0; i < BAND; i++) {
    const priority = GENERATED_PRIORITY_MIN + ((start + i) % BAND);
    if (!rules.has(priority)) {
      return priority;
    }
  }
  throw new Error(
    `No free listener rule priority from ${GENERATED_PRIORITY_MIN} to ${GENERATED_PRIORITY_MAX}`,
  );
}

async function listenerOf(ssm: SSMClient, env: string): Promise<string> {
  const parameter = `/ecs-deploy/environments/${env}`;
  const doc = await ssm
    .send(new GetParameterCommand({ Name: parameter }))
    .catch(error => {
      throw refusal(
        new InputError(
          `Environment ${env} is not set up for the portal: ${parameter} cannot be read (${error.name})`,
        ),
      );
    });
  const listenerArn = JSON.parse(doc.Parameter?.Value ?? '{}').listener_arn;
  if (typeof listenerArn !== 'string' || listenerArn === '') {
    throw refusal(
      new InputError(
        `Environment ${env} has no shared load balancer listener (${parameter} names none): canary, linear and blue/green shift traffic on it. Create its ALB (ecs-environment alb = {}) or choose rolling`,
      ),
    );
  }
  return listenerArn;
}

async function rulesOf(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<Map<number, string | undefined>> {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const page = await elb.send(
      new DescribeRulesCommand({
        ListenerArn: listenerArn,
        Marker: marker,
        PageSize: 400,
      }),
    );
    rules.push(...(page.Rules ?? []));
    marker = page.NextMarker;
  } while (marker);
  const numbered = rules.filter(r => r.Priority && r.Priority !== 'default');
  const owners = new Map<string, string | undefined>();
  // DescribeTags takes at most 20 resources a call.
  for (let i = 0; i < numbered.length; i += 20) {
    const { TagDescriptions } = await elb.send(
      new DescribeTagsCommand({
        ResourceArns: numbered.slice(i, i + 20).map(r => r.RuleArn!),
      }),
    );
    for (const d of TagDescriptions ?? []) {
      owners.set(
        d.ResourceArn!,
        d.Tags?.find(t => t.Key === ENTITY_REF_TAG)?.Value,
      );
    }
  }
  return new Map(
    numbered.map(r => [Number(r.Priority), owners.get(r.RuleArn!)]),
  );
}

/** {@link ListenerPriorityAllocator} over the AWS SDK. */
export function createListenerPriorityAllocator(
  options: Pick<EcsDeployScaffolderOptions, 'defaultRegion' | 'terraformRole'>,
): ListenerPriorityAllocator {
  return async (env, name, entityRef) => {
    const config = environmentClientConfig(options, env);
    const listenerArn = await listenerOf(new SSMClient(config), env.name);
    const rules = await rulesOf(
      new ElasticLoadBalancingV2Client(config),
      listenerArn,
    );
    return choosePriority(name, entityRef, rules);
  };
}
