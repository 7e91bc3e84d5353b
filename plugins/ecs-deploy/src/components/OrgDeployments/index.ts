export { OrgDeploymentsPage } from './OrgDeploymentsPage';
