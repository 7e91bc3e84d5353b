export interface Config {
  auth?: {
    providers?: {
      /**
       * The guest provider's identity (read by the backend's guest provider); the local sign-in
       * page names it, so the frontend sees it too. It holds no secret.
       */
      guest?: {
        /** @visibility frontend */
        userEntityRef?: string;
        /** @visibility frontend */
        ownershipEntityRefs?: string[];
      };
    };
  };
}
