// A stand-in for the npm registry that holds only the packed tarballs: the fresh app's Yarn reads
// the @deployment-portal scope from it (npmScopes in the app's .yarnrc.yml), so the READMEs'
// `yarn add @deployment-portal/...` commands run as they are, and everything else still comes from
// the npm registry. Unknown names are 404 (a README naming a package we do not pack fails).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';

/** Starts the registry on a loopback port; `tarballs` are paths of `yarn pack` outputs. */
export async function startTarballRegistry(tarballs) {
  const packages = new Map();
  for (const file of tarballs) {
    const bytes = readFileSync(file);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    packages.set(manifest.name, { manifest, bytes });
  }
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]).slice(1);
    const tarball = url.match(/^-\/tarball\/(.+)\.tgz$/);
    const pkg = packages.get(tarball ? tarball[1] : url);
    if (!pkg) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":"not found"}');
    } else if (tarball) {
      res
        .writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(pkg.bytes);
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(packument(pkg, baseUrl)));
    }
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  return {
    url: baseUrl,
    names: [...packages.keys()],
    stop: () => new Promise(r => server.close(r)),
  };
}

function packument({ manifest, bytes }, baseUrl) {
  const { name, version } = manifest;
  const now = new Date().toISOString();
  return {
    name,
    'dist-tags': { latest: version },
    time: { created: now, modified: now, [version]: now },
    versions: {
      [version]: {
        ...manifest,
        dist: {
          tarball: `${baseUrl}/-/tarball/${name}.tgz`,
          shasum: createHash('sha1').update(bytes).digest('hex'),
          integrity: `sha512-${createHash('sha512')
            .update(bytes)
            .digest('base64')}`,
        },
      },
    },
  };
}
