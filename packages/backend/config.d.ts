export interface Config {
  /** Settings of the portal's own backend (packages/backend). */
  portal?: {
    /**
     * Lets a production start (NODE_ENV=production) run on the local defaults: SQLite, the
     * in-memory cache, the localhost URLs, the guest sign-in. For the smoke test of the built
     * bundle only; a real deployment never sets it (see the README, "Production").
     */
    dangerouslyAllowLocalDefaults?: boolean;
  };
}
