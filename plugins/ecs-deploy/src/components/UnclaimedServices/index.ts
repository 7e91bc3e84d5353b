export { UnclaimedServicesPage } from './UnclaimedServicesPage';
