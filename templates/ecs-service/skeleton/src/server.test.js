const { test } = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');

test('answers the health check', async () => {
  const child = spawn(process.execPath, ['src/server.js'], {
    env: { ...process.env, PORT: '18080' },
  });
  try {
    await new Promise(resolve => child.stdout.once('data', resolve));
    const res = await fetch(
      'http://127.0.0.1:18080${{ values.healthCheckPath }}',
    );
    assert.strictEqual(res.status, 200);
  } finally {
    child.kill();
  }
});
