// A release lands in staging as CI would deploy it: a new revision of the service's task
// definition with another image, then UpdateService, through the emulator's ECS API.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { eventually } from '@internal/dev-kit';
import { ENV } from './portal';

/** Deploys `image` to `service` in staging, waits until its rollout completed; returns its revision. */
export async function deployToStaging(
  ecs: ECSClient,
  service: string,
  image: string,
): Promise<number> {
  const cluster = ENV.staging.cluster;
  const [current] = (
    await ecs.send(
      new DescribeServicesCommand({ cluster, services: [service] }),
    )
  ).services!;
  const { taskDefinition: td } = await ecs.send(
    new DescribeTaskDefinitionCommand({
      taskDefinition: current.taskDefinition,
    }),
  );
  const { taskDefinition: next } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: td!.family,
      requiresCompatibilities: td!.requiresCompatibilities,
      networkMode: td!.networkMode,
      cpu: td!.cpu,
      memory: td!.memory,
      executionRoleArn: td!.executionRoleArn,
      taskRoleArn: td!.taskRoleArn,
      containerDefinitions: td!.containerDefinitions!.map(c => ({
        ...c,
        image,
      })),
    }),
  );
  await ecs.send(
    new UpdateServiceCommand({
      cluster,
      service,
      taskDefinition: next!.taskDefinitionArn,
    }),
  );
  await eventually(
    `staging runs ${image}`,
    async () => {
      const [s] = (
        await ecs.send(
          new DescribeServicesCommand({ cluster, services: [service] }),
        )
      ).services!;
      return (
        s.deployments?.length === 1 &&
        s.deployments[0].rolloutState === 'COMPLETED' &&
        s.taskDefinition === next!.taskDefinitionArn
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  return next!.revision!;
}
