export { EcsDeploymentsCard } from './EcsDeploymentsCard';
