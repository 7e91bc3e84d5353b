export { PromotionRequests } from './PromotionRequests';
export type { PromotionRequestsProps } from './PromotionRequests';
