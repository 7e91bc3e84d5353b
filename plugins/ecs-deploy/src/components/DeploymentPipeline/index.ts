export { DeploymentPipeline } from './DeploymentPipeline';
export type { DeploymentPipelineProps } from './DeploymentPipeline';
