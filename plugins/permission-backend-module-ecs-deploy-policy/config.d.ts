export interface Config {
  ecsDeploy?: {
    permissions?: {
      /** Group refs whose members may promote, roll back and approve anywhere, and override a freeze window. */
      adminGroups?: string[];
      /**
       * Who may write to each environment (@deployment-portal/plugin-permission-backend-module-ecs-deploy-policy);
       * an environment not listed: `owners`.
       */
      environments?: Array<{
        /** An environment of `ecsDeploy.environments`, e.g. prod. */
        name: string;
        /**
         * `owners`: the entity's owners promote, roll back, request and approve; `owners-with-approval`:
         * the same, but a promotion only through a request another owner or an admin approved;
         * `admins`: only the admin groups promote, roll back and approve (owners may request).
         */
        promote: 'owners' | 'owners-with-approval' | 'admins';
      }>;
    };
  };
}
