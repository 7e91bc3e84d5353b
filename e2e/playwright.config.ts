// Browser journeys of the portal (scripts/e2e.sh runs them): Debian's Chromium, one worker, one
// emulator + demo + backend for all journeys (global-setup.ts). Journeys run in file-name order:
// J3 promotes, so the journeys that read the demo's state (J4, J2) come before it.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 7047);

export default defineConfig({
  testDir: 'tests',
  outputDir: 'artifacts/results',
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 6 * 60_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['./lib/countsReporter.ts']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 1000 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'off',
    headless: true,
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
