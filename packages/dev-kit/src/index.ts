export { repoRoot } from './repo.ts';
export { freePort } from './ports.ts';
export { eventually, sleep } from './poll.ts';
export { runCommand } from './processes.ts';
export {
  emulatorServer,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from './emulator.ts';
export {
  TEST_ACCOUNT,
  TEST_CREDENTIALS,
  TEST_REGION,
  autoscalingClient,
  ecsClient,
  iamClient,
  logsClient,
  ssmClient,
} from './aws.ts';
export { seedEnvironment } from './environment.ts';
export {
  describeDeployed,
  seedService,
  teamCatalog,
  type Deployed,
} from './seed.ts';
export { startBackend, type Backend, type BackendOptions } from './backend.ts';
export { checkRunner } from './checks.ts';
export { startAwsProxy, type AwsProxy } from './awsProxy.ts';
export { listFiles, readTree } from './files.ts';
export { benchEnvironments, percentile } from './bench.ts';
