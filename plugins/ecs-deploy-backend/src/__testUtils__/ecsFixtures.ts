import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Entity } from '@backstage/catalog-model';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function ecsClient(endpoint: string) {
  return new ECSClient({ region: REGION, endpoint, credentials });
}
export function ssmClient(endpoint: string) {
  return new SSMClient({ region: REGION, endpoint, credentials });
}

/** Backend config for two environments on one endpoint (the emulator). */
export function ecsDeployTestConfig(endpoint: string, extra: object = {}) {
  return {
    aws: { accounts: [{ accountId: ACCOUNT, ...credentials }] },
    ecsDeploy: {
      environments: [
        {
          name: 'staging',
          title: 'Staging',
          region: REGION,
          cluster: 'test-staging',
          accountId: ACCOUNT,
          endpoint,
          logLinks: [
            {
              title: 'Log search',
              urlTemplate:
                'https://logs.example.com/?q={service}&env={environment}&group={logGroup}',
            },
          ],
        },
        {
          name: 'prod',
          title: 'Production',
          region: REGION,
          cluster: 'test-prod',
          accountId: ACCOUNT,
          endpoint,
        },
      ],
      promotionPaths: [
        { from: 'staging', to: 'prod', requireHealthySource: false },
      ],
      ...extra,
    },
  };
}

export function component(
  name: string,
  owner = 'group:default/team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'ecs-deploy.io/service-name': name },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/**
 * Creates, in the emulator, what terraform-modules/ecs-service creates for one service in one
 * environment: task definition family `<name>-<env>` with awslogs options, the service with tags,
 * and the image SSM parameter.
 */
export async function seedService(
  endpoint: string,
  env: 'staging' | 'prod',
  name: string,
  image: string,
  options: { desiredCount?: number } = {},
) {
  const ecs = ecsClient(endpoint);
  const cluster = `test-${env}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const prefix = `/ecs-deploy/${env}/${name}/image`;
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-${env}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-${env}-execution`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-${env}-task`,
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          environment: [{ name: 'STAGE', value: env }],
          secrets: [
            {
              name: 'DB_PASSWORD',
              valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}/db`,
            },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${env}/${name}`,
              'awslogs-region': REGION,
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
      tags: [
        { key: 'backstage:entity-ref', value: `component:default/${name}` },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: td.taskDefinition!.taskDefinitionArn,
      desiredCount: options.desiredCount ?? 1,
      launchType: 'FARGATE',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      tags: [
        { key: 'backstage:entity-ref', value: `component:default/${name}` },
        { key: 'backstage:environment', value: env },
        { key: 'ecs-deploy:image-parameter-prefix', value: prefix },
      ],
    }),
  );
  await ssmClient(endpoint).send(
    new PutParameterCommand({
      Name: `${prefix}/app`,
      Value: image,
      Type: 'String',
      Overwrite: true,
    }),
  );
  return td.taskDefinition!;
}
