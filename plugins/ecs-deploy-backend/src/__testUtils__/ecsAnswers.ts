import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  Service,
} from '@aws-sdk/client-ecs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { serviceShape, taskDefinitionShape } from './ecsShapes';

/** ECS (mocked) answers for every service asked, from `services` keyed by cluster/name. */
export function answerServices(
  ecsMock: AwsClientStub<ECSClient>,
  services: Record<string, Service>,
) {
  ecsMock.on(DescribeServicesCommand).callsFake(input => ({
    services: input.services
      .map((n: string) => services[`${input.cluster}/${n}`])
      .filter(Boolean),
    failures: input.services
      .filter((n: string) => !services[`${input.cluster}/${n}`])
      .map((n: string) => ({ arn: n, reason: 'MISSING' })),
  }));
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(input => {
    const [family, revision] = input.taskDefinition.split('/').pop().split(':');
    return { taskDefinition: taskDefinitionShape(family, Number(revision)) };
  });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
}

/** Service `name` in the test's staging and prod clusters (prod with `prod`'s fields). */
export const both = (name: string, prod: Partial<Service> = {}) => ({
  [`test-staging/${name}`]: serviceShape(name, 'test-staging'),
  [`test-prod/${name}`]: serviceShape(name, 'test-prod', prod),
});
