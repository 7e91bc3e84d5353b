// ${{ values.name }}: a minimal HTTP service. GET /healthz answers 200 for the ECS health check.
const http = require('node:http');

const port = Number(process.env.PORT || '${{ values.port }}');
const environment = process.env.ENVIRONMENT || 'local';
const healthCheckPath = '${{ values.healthCheckPath }}';

const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (path === healthCheckPath) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: '${{ values.name }}', environment }));
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found' }));
});

server.listen(port, () => {
  console.log(
    '%s listening on %d (%s)',
    '${{ values.name }}',
    port,
    environment,
  );
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
