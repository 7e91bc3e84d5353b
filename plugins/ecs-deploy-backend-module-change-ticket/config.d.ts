export interface Config {
  ecsDeploy?: {
    /**
     * The change-ticket promotion gate (@deployment-portal/plugin-ecs-deploy-backend-module-change-ticket):
     * a promotion into one of `environments` needs the id of an approved change ticket in the ITSM.
     */
    changeTicket?: {
      /** Environments whose promotions need an approved change ticket, e.g. [prod]. */
      environments: string[];
      /** The ITSM's change API: `GET <baseUrl>/api/changes/<id>` → { id, state, title }. */
      itsm: {
        /** e.g. https://itsm.example.com */
        baseUrl: string;
        /**
         * Bearer token of the portal's ITSM account.
         * @visibility secret
         */
        token?: string;
      };
    };
  };
}
