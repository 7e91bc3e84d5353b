export interface Config {
  auth?: {
    providers?: {
      /**
       * The guest provider's identity (read by the backend's guest provider); the local sign-in
       * page names it, so the frontend sees it too. It holds no secret.
       * @visibility frontend
       */
      guest?: {
        /** @visibility frontend */
        userEntityRef?: string;
        /** @visibility frontend */
        ownershipEntityRefs?: string[];
      };
      /**
       * OpenID Connect sign-in (the backend's settings per auth environment). The app sees only
       * that it is configured, to offer it on the sign-in page; the settings stay in the backend.
       * @visibility frontend
       */
      oidc?: { [authEnv: string]: object };
      /**
       * GitHub sign-in. The app sees only that it is configured, as for oidc.
       * @visibility frontend
       */
      github?: { [authEnv: string]: object };
    };
  };
}
