/*
 * The gate: a promotion into one of the configured environments carries the id of a change
 * ticket the ITSM has approved. Anything else blocks, saying what to do: no ticket, a ticket the
 * ITSM does not know, pending or rejected. An ITSM that cannot answer makes the gate throw: the
 * backend blocks the promotion and names the gate.
 */
import type { PromotionGate } from '@deployment-portal/plugin-ecs-deploy-node';
import type { ChangeTicketConfig } from './config';
import { ItsmClient } from './ItsmClient';

/** The gate's name, in previews, refusals and audit rows. */
export const CHANGE_TICKET_GATE = 'change-ticket';

/** "prod needs an approved change ticket", for the configured environments. */
export function createChangeTicketGate(
  config: ChangeTicketConfig,
): PromotionGate {
  const itsm = new ItsmClient(config.itsm);
  return {
    name: CHANGE_TICKET_GATE,
    async evaluate({ target, changeTicket, signal }) {
      if (!config.environments.includes(target.name)) {
        return { result: 'pass' };
      }
      if (!changeTicket) {
        return {
          result: 'block',
          message: `promotions into ${target.name} need an approved change ticket: give its id (changeTicket)`,
        };
      }
      const change = await itsm.change(changeTicket, signal);
      if (!change) {
        return {
          result: 'block',
          message: `${changeTicket} is not a change ticket in the ITSM; give the id of an approved one`,
        };
      }
      if (change.state === 'approved') {
        return {
          result: 'pass',
          message: `${changeTicket} is approved${
            change.title ? ` (${change.title})` : ''
          }`,
        };
      }
      return {
        result: 'block',
        message:
          change.state === 'pending'
            ? `${changeTicket} is pending approval in the ITSM; promote once it is approved`
            : `${changeTicket} is ${change.state} in the ITSM; promotions into ${target.name} need an approved change ticket`,
      };
    },
  };
}
