/*
 * The AWS writes of an adoption and their undo: the `backstage:entity-ref` tag on the service,
 * and the image parameters (`<prefix>/<container>`, the promotion contract) created from the
 * images the service runs. A parameter that exists already is kept as it is.
 */
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ecs';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { ECS_DEPLOY_TAGS } from '@deployment-portal/plugin-ecs-deploy-common';
import type { EnvironmentConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';

/** Where the promotion contract keeps the image of each container. */
export const imageParameterName = (
  environment: string,
  serviceName: string,
  container: string,
) => `/ecs-deploy/${environment}/${serviceName}/image/${container}`;

const errorName = (e: unknown) => (e as { name?: string })?.name;

/** The AWS writes of adoptions over the backend's clients. */
export class AdoptionWrites {
  constructor(private readonly clients: AwsClients) {}

  /** Whether the parameter exists. */
  async parameterExists(env: EnvironmentConfig, name: string) {
    const ssm = await this.clients.ssm(env);
    try {
      await ssm.send(new GetParameterCommand({ Name: name }));
      return true;
    } catch (e) {
      if (errorName(e) === 'ParameterNotFound') return false;
      throw e;
    }
  }

  /** Creates the parameter unless it exists; true when this call created it. */
  async createParameter(env: EnvironmentConfig, name: string, image: string) {
    const ssm = await this.clients.ssm(env);
    try {
      await ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: image,
          Type: 'String',
          Overwrite: false,
          Description: 'Current image of the container, created on adoption',
        }),
      );
      return true;
    } catch (e) {
      if (errorName(e) === 'ParameterAlreadyExists') return false;
      throw e;
    }
  }

  async deleteParameter(env: EnvironmentConfig, name: string) {
    const ssm = await this.clients.ssm(env);
    await ssm.send(new DeleteParameterCommand({ Name: name })).catch(e => {
      if (errorName(e) !== 'ParameterNotFound') throw e;
    });
  }

  /** Sets the entity-ref tag; `undefined` removes it (the undo of a first tag). */
  async setEntityRefTag(
    env: EnvironmentConfig,
    serviceArn: string,
    value: string | undefined,
  ) {
    const ecs = await this.clients.ecs(env);
    if (value === undefined) {
      await ecs.send(
        new UntagResourceCommand({
          resourceArn: serviceArn,
          tagKeys: [ECS_DEPLOY_TAGS.entityRef],
        }),
      );
      return;
    }
    await ecs.send(
      new TagResourceCommand({
        resourceArn: serviceArn,
        tags: [{ key: ECS_DEPLOY_TAGS.entityRef, value }],
      }),
    );
  }
}
