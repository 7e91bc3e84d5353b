export { Verifications, type VerificationsProps } from './Verifications';
