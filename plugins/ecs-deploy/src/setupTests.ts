import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test app and material-table render slowly when the suites run in parallel.
configure({ asyncUtilTimeout: 5000 });
