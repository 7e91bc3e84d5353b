import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import type { EnvironmentConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';
import { parseSecretRef, SecretRef } from './secretRefs';
import { block, CheckVerdict, combine, pass, PreflightCheck } from './types';

/** Looks one reference up by name (metadata only: values are never read). */
async function exists(
  clients: AwsClients,
  env: EnvironmentConfig,
  ref: SecretRef,
  signal: AbortSignal,
): Promise<boolean> {
  const where = { ...env, region: ref.region ?? env.region };
  if (ref.kind === 'parameter') {
    const ssm = await clients.ssm(where);
    const { Parameters } = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [
          { Key: 'Name', Option: 'Equals', Values: [ref.name] },
        ],
      }),
      { abortSignal: signal },
    );
    return (Parameters ?? []).some(p => p.Name === ref.name);
  }
  const sm = await clients.secretsManager(where);
  try {
    const secret = await sm.send(
      new DescribeSecretCommand({ SecretId: ref.id }),
      {
        abortSignal: signal,
      },
    );
    return secret.DeletedDate === undefined;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/**
 * The secrets and parameters the target revision's containers reference (`secrets[].valueFrom`)
 * exist: SSM DescribeParameters and Secrets Manager DescribeSecret, by name; their values are
 * never read. References into another account (shared secrets) are named, not looked up: the
 * portal's role reads only its own account.
 */
export function secretsCheck(clients: AwsClients): PreflightCheck {
  return {
    name: 'secrets',
    async run({ target, targetTaskDefinition: td }, signal) {
      const refs = new Map<string, { container: string; name: string }>();
      for (const c of td.containerDefinitions ?? []) {
        for (const s of c.secrets ?? []) {
          if (s.valueFrom)
            refs.set(s.valueFrom, { container: c.name!, name: s.name! });
        }
      }
      if (refs.size === 0) return pass('No container references a secret');
      const account = target.env.accountId;
      const elsewhere: string[] = [];
      const verdicts = await Promise.all(
        [...refs].map(async ([valueFrom, use]): Promise<CheckVerdict> => {
          const ref = parseSecretRef(valueFrom);
          if (!ref) {
            return block(
              `${use.name} of container ${use.container} refers to ${valueFrom}, neither an SSM parameter nor a Secrets Manager secret`,
              `Set its valueFrom to a parameter's or secret's ARN.`,
            );
          }
          if (account && ref.account && ref.account !== account) {
            elsewhere.push(valueFrom);
            return pass(valueFrom);
          }
          if (await exists(clients, target.env, ref, signal))
            return pass(valueFrom);
          const what =
            ref.kind === 'parameter'
              ? `SSM parameter ${ref.name}`
              : `Secrets Manager secret ${ref.id.split(':').pop()}`;
          return block(
            `The ${what} (${use.name} of container ${
              use.container
            }) does not exist in ${target.env.name}${
              ref.region ? ` (${ref.region})` : ''
            }: ECS would fail to start every task`,
            `Create the ${what} in ${target.env.name} before promoting, or remove ${use.name} from the container's secrets (the service's Terraform).`,
          );
        }),
      );
      return combine(
        verdicts,
        `${refs.size - elsewhere.length} of ${refs.size} exist${
          elsewhere.length
            ? `; in another account, not looked up: ${elsewhere.join(', ')}`
            : ''
        }`,
      );
    },
  };
}
