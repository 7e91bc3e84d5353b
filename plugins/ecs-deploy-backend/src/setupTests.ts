// Jest's 5 s default fails tests that start a backend when every CI stage shares two cores (a
// promotion test that passes in 0.4 s alone timed out under load, and its unfinished promotion
// then wrote during the next test). Suites that need longer still set their own.
jest.setTimeout(60_000);
