export { TeamDeployments, TeamDeploymentsContent } from './TeamDeployments';
export { TeamDeploymentsTable } from './TeamDeploymentsTable';
