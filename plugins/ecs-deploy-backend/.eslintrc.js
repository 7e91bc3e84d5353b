module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Bench-only stand-ins for packages of AWS's plugin that npm does not serve (see their README).
  ignorePatterns: ['bench/aws-plugin-deps/'],
});
