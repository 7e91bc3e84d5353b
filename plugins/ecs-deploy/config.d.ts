export interface Config {
  ecsDeploy?: {
    /** Settings of the ECS deploy frontend plugin. */
    frontend?: {
      /**
       * How often the deployment pages refresh, in seconds, while the page is visible.
       * Polling pauses in background tabs. Default 15.
       * @visibility frontend
       */
      pollIntervalSeconds?: number;
    };
  };
}
