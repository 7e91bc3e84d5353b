// A release lands in staging as CI would deploy it, through the emulator's ECS API (the dev kit's
// deployImage: a new revision with another image, then UpdateService).
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { deployImage, eventually } from '@internal/dev-kit';
import { ENV } from './portal';

/** Deploys `image` to `service` in staging, waits until its rollout completed; returns its revision. */
export async function deployToStaging(
  ecs: ECSClient,
  service: string,
  image: string,
): Promise<number> {
  const cluster = ENV.staging.cluster;
  const next = await deployImage(ecs, cluster, service, image);
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
        s.taskDefinition === next.taskDefinitionArn
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  return next.revision!;
}
