// What the emulator holds, read directly with the AWS SDK (not through the portal).
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './harness.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const {
  ECSClient,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
} = require('@aws-sdk/client-ecs');

export function ecsClient(endpoint, region = 'us-east-1') {
  return new ECSClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** The service's task definition (family, revision), images and awslogs options. */
export async function describeService(ecs, cluster, service) {
  const out = await ecs.send(
    new DescribeServicesCommand({ cluster, services: [service] }),
  );
  const svc = out.services?.[0];
  if (!svc) throw new Error(`no service ${service} in cluster ${cluster}`);
  const { taskDefinition: td } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition }),
  );
  return {
    taskDefinitionArn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision,
    containers: td.containerDefinitions.map(c => ({
      name: c.name,
      image: c.image,
      tag: c.image.includes('@') ? undefined : c.image.split(':').pop(),
      logGroup: c.logConfiguration?.options?.['awslogs-group'],
      logRegion: c.logConfiguration?.options?.['awslogs-region'],
    })),
  };
}
