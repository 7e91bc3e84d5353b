export { TeamDeployments, TeamDeploymentsContent } from './TeamDeployments';
export { TeamDeploymentsPage } from './TeamDeploymentsPage';
export { TeamDeploymentsTable } from './TeamDeploymentsTable';
