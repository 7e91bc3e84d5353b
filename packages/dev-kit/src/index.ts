export { repoRoot } from './repo.ts';
export { freePort } from './ports.ts';
export { eventually, sleep } from './poll.ts';
export { runCommand, startProcess } from './processes.ts';
export {
  bulkSeed,
  emulatorServer,
  resetThrottling,
  setEmulatorThrottling,
  throttledCount,
  startEmulator,
  withoutThrottling,
  type BulkSeedService,
  type Emulator,
  type EmulatorOptions,
} from './emulator.ts';
export {
  TEST_ACCOUNT,
  TEST_CREDENTIALS,
  TEST_REGION,
  accountAdminCredentials,
  assumeRoleCredentials,
  createTrustedRole,
  autoscalingClient,
  cloudWatchClient,
  ecsClient,
  elbClient,
  eventBridgeClient,
  iamClient,
  logsClient,
  sqsClient,
  ssmClient,
} from './aws.ts';
export {
  LOCAL_ACCOUNTS,
  PORTAL_ROLE,
  TERRAFORM_ROLE,
  createLocalAccounts,
  localAwsEnv,
  portalCredentials,
  type LocalEnvironment,
} from './accounts.ts';
export {
  createEventsQueue,
  setEventsRules,
  type EventsQueue,
  type EventsQueueOptions,
} from './events.ts';
export { defaultNetwork, seedEnvironment } from './environment.ts';
export { createLoadBalancer, type LoadBalancer } from './loadBalancer.ts';
export {
  deployImage,
  describeDeployed,
  seedService,
  teamCatalog,
  type Deployed,
} from './seed.ts';
export { seedLegacyService, type LegacyServiceOptions } from './legacy.ts';
export { startBackend, type Backend, type BackendOptions } from './backend.ts';
export { checkRunner } from './checks.ts';
export { startAwsProxy, type AwsCall, type AwsProxy } from './awsProxy.ts';
export { listFiles, readTree } from './files.ts';
export {
  benchEnvironments,
  catalogHolds,
  percentile,
  seedBenchServices,
} from './bench.ts';
export {
  demoOrg,
  OUTSIDER,
  type DemoOrg,
  type Person,
  type Team,
} from './people.ts';
export {
  oidcProviderServer,
  startOidcProvider,
  type OidcProvider,
  type OidcProviderOptions,
} from './oidc/oidcProvider.ts';
export {
  signInWithOidc,
  SignInRefused,
  type PortalSession,
  type SignInOptions,
} from './oidc/signIn.ts';
export { backendBundle, unpackBundle } from './bundle.ts';
export {
  startDirectory,
  type Directory,
  type DirectoryOptions,
} from './directory/slapd.ts';
export { ecsDeployTestConfig } from './ecsDeployConfig.ts';
export {
  startItsmStub,
  type ChangeState,
  type ChangeTicket,
  type ItsmStub,
} from './itsm/itsm.ts';
