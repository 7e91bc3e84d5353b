import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { EnvironmentConfig } from '../../config';
import { AwsClients } from '../aws/AwsClients';
import { withDeadline } from '../aws/deadline';
import { OutcomeUnknownError } from '../errors';
import { imagesOf, parseTaskDefinitionRef } from '../status/summarize';
import type { StrategyApplier } from '../strategies/types';
import type { RolloutResult, TaskDefinitionRollout } from './types';
import { nextRevisionInput } from './registration';

/** How long undoing a half-done rollout may take (after the caller's deadline). */
const UNDO_DEADLINE_MS = 15_000;

interface Written {
  name: string;
  previous?: string;
}

/**
 * {@link TaskDefinitionRollout} on the AWS SDK: register (a copy of the base revision with images
 * replaced), image parameters, UpdateService with the service's deployment strategy (when a
 * `strategies` applier is given). A step that fails undoes the earlier ones; an undo step that
 * fails is logged with what it leaves behind.
 */
export class DefaultTaskDefinitionRollout implements TaskDefinitionRollout {
  constructor(
    private readonly clients: AwsClients,
    private readonly logger: LoggerService,
    private readonly strategies?: StrategyApplier,
  ) {}

  async rollOut(
    request: Parameters<TaskDefinitionRollout['rollOut']>[0],
  ): Promise<RolloutResult> {
    const { env, serviceName, images, signal } = request;
    const ecs = await this.clients.ecs(env);
    const ssm = await this.clients.ssm(env);
    // Read before anything is written: a strategy that cannot be read changes nothing.
    const strategy = await this.strategies?.updateFields(
      env,
      serviceName,
      request.imageParameterPrefix,
      signal,
      { rollback: request.rollback ?? false },
    );
    const base = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: request.baseTaskDefinition,
        include: ['TAGS'],
      }),
      { abortSignal: signal },
    );
    if (!base.taskDefinition) {
      throw new ServiceUnavailableError(
        `ECS returned no task definition for ${request.baseTaskDefinition}`,
      );
    }
    let registered;
    try {
      registered = (
        await ecs.send(
          new RegisterTaskDefinitionCommand(
            nextRevisionInput(base.taskDefinition, base.tags ?? [], images),
          ),
          { abortSignal: signal },
        )
      ).taskDefinition!;
    } catch (error) {
      const e = error as Error;
      throw new ServiceUnavailableError(
        `AWS refused to register the next revision of ${base.taskDefinition.family} (${e.name}: ${e.message}); nothing was changed`,
      );
    }
    const newArn = registered.taskDefinitionArn!;
    const written: Written[] = [];
    let updateSent = false;
    try {
      if (request.imageParameterPrefix) {
        for (const c of registered.containerDefinitions ?? []) {
          if (!c.name || !images.has(c.name)) continue;
          const name = `${request.imageParameterPrefix}/${c.name}`;
          const previous = await this.parameterValue(ssm, name, signal);
          await ssm.send(
            new PutParameterCommand({
              Name: name,
              Value: c.image!,
              Type: 'String',
              Overwrite: true,
            }),
            { abortSignal: signal },
          );
          written.push({ name, previous });
        }
      }
      updateSent = true;
      await ecs.send(
        new UpdateServiceCommand({
          cluster: env.cluster,
          service: serviceName,
          taskDefinition: newArn,
          ...strategy,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      const e = error as Error;
      const where = `${serviceName} in ${env.name}`;
      if (updateSent && signal.aborted) {
        // UpdateService was on its way when time ran out: AWS may apply it. Undoing now could
        // leave the service and its parameters disagreeing, so leave both for the history to settle.
        throw new OutcomeUnknownError(
          `The update of ${where} to ${newArn
            .split('/')
            .pop()} did not answer in time; AWS may still apply it. The history records the outcome.`,
          newArn,
        );
      }
      await this.undo(env, ecs, ssm, newArn, written, where);
      throw new ServiceUnavailableError(
        `AWS refused to update ${where} (${e.name}: ${e.message}); nothing was changed`,
      );
    }
    return {
      taskDefinition: parseTaskDefinitionRef(newArn, registered),
      images: imagesOf(registered),
    };
  }

  /** The parameter's value, or undefined when it has none or cannot be read. */
  private async parameterValue(
    ssm: SSMClient,
    name: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    try {
      const out = await ssm.send(new GetParameterCommand({ Name: name }), {
        abortSignal: signal,
      });
      return out.Parameter?.Value;
    } catch {
      return undefined;
    }
  }

  /** Restores the parameters and deregisters the new revision; logs whatever it cannot undo. */
  private async undo(
    env: EnvironmentConfig,
    ecs: ECSClient,
    ssm: SSMClient,
    newArn: string,
    written: Written[],
    where: string,
  ) {
    const leftBehind: string[] = [];
    await withDeadline(
      UNDO_DEADLINE_MS,
      `Undoing in ${env.name}`,
      async signal => {
        for (const w of [...written].reverse()) {
          if (w.previous === undefined) {
            leftBehind.push(`parameter ${w.name} (it had no value before)`);
            continue;
          }
          try {
            await ssm.send(
              new PutParameterCommand({
                Name: w.name,
                Value: w.previous,
                Type: 'String',
                Overwrite: true,
              }),
              { abortSignal: signal },
            );
          } catch (e) {
            leftBehind.push(
              `parameter ${w.name} (restore it to ${w.previous}: ${
                (e as Error).message
              })`,
            );
          }
        }
        try {
          await ecs.send(
            new DeregisterTaskDefinitionCommand({ taskDefinition: newArn }),
            {
              abortSignal: signal,
            },
          );
        } catch (e) {
          leftBehind.push(
            `task definition ${newArn} (deregister it: ${
              (e as Error).message
            })`,
          );
        }
      },
    ).catch(e =>
      leftBehind.push(`the rest of the undo (${(e as Error).message})`),
    );
    if (leftBehind.length > 0) {
      this.logger.error(
        `Undoing the failed rollout of ${where} left behind: ${leftBehind.join(
          '; ',
        )}`,
        { environment: env.name },
      );
    } else {
      this.logger.warn(
        `Undid the failed rollout of ${where} (deregistered ${newArn})`,
        {
          environment: env.name,
        },
      );
    }
  }
}
