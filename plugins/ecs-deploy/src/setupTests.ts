import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test app and material-table render slowly when the suites run in parallel: a page that
// renders in 0.3 s alone took 3–10 s in CI beside the Terraform and emulator stages.
configure({ asyncUtilTimeout: 15_000 });

// Dialog journeys (open, preview, confirm, follow the rollout) took 2.6 s alone and 26 s in CI
// when all workspaces' suites share two cores with the other stages.
jest.setTimeout(120_000);
