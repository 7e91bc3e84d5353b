import type { Config } from '@backstage/config';

/** `ecsDeploy.changeTicket`: where the gate applies and the ITSM it asks. */
export interface ChangeTicketConfig {
  /** Environments whose promotions need an approved change ticket. */
  environments: string[];
  itsm: { baseUrl: string; token?: string };
}

/**
 * Reads `ecsDeploy.changeTicket`; a missing or empty setting stops the start with the key named
 * (the module is installed to enforce tickets: it never switches itself off).
 */
export function readChangeTicketConfig(config: Config): ChangeTicketConfig {
  const section = config.getConfig('ecsDeploy.changeTicket');
  const environments = section.getStringArray('environments');
  if (environments.length === 0) {
    throw new Error(
      'ecsDeploy.changeTicket.environments must name at least one environment',
    );
  }
  const baseUrl = section.getString('itsm.baseUrl').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new Error(
      `ecsDeploy.changeTicket.itsm.baseUrl must be an http(s) URL, got '${baseUrl}'`,
    );
  }
  return {
    environments,
    itsm: { baseUrl, token: section.getOptionalString('itsm.token') },
  };
}
