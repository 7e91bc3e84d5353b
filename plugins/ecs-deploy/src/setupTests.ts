import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test app and material-table render slowly when the suites run in parallel.
configure({ asyncUtilTimeout: 5000 });

// Dialog journeys (open, preview, confirm, follow the rollout) exceed Jest's 5 s default when all
// workspaces' suites share two cores.
jest.setTimeout(30_000);
