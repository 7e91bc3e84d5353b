export { repoRoot } from './repo.ts';
export { assertPortFree, freePort } from './ports.ts';
export { eventually, sleep, type PollOptions } from './poll.ts';
export {
  runCommand,
  startProcess,
  type ProcessOptions,
  type StartedProcess,
} from './processes.ts';
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
  ecsClient,
  iamClient,
  logsClient,
  ssmClient,
} from './aws.ts';
export {
  describeDeployed,
  seedService,
  teamCatalog,
  type Deployed,
  type SeedOptions,
} from './seed.ts';
export {
  startBackend,
  type ApiResponse,
  type Backend,
  type BackendOptions,
  type RequestOptions,
} from './backend.ts';
export { checkRunner, writeCounts, type CheckRunner } from './checks.ts';
export { startAwsProxy, type AwsFault, type AwsProxy } from './awsProxy.ts';
export { listFiles, readTree } from './files.ts';
