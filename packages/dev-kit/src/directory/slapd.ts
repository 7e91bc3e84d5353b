/*
 * A local LDAP directory: OpenLDAP's slapd as our own process, its configuration and data in a
 * directory of its own (.run/directory-<port> by default), on loopback only, seeded with the
 * demo organisation (catalog/demo/org.yaml). What Backstage's LDAP org provider reads in tests
 * and in `scripts/start.sh --directory`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { eventually } from '../poll.ts';
import { demoOrg } from '../people.ts';
import { assertPortFree, freePort } from '../ports.ts';
import { startProcess, waitUntilReady } from '../processes.ts';
import { repoRoot } from '../repo.ts';
import {
  directoryLayout,
  directoryLdif,
  moveLdif,
  type DirectoryLayout,
} from './ldif.ts';

const INSTALL_HINT =
  'on Debian: apt-get install slapd ldap-utils (scripts/directory.sh installs them); on macOS: brew install openldap, then SLAPD=$(brew --prefix openldap)/libexec/slapd';

const SBIN = [
  '/usr/sbin',
  '/usr/local/sbin',
  '/opt/homebrew/opt/openldap/libexec',
  '/usr/local/opt/openldap/libexec',
  '/opt/homebrew/opt/openldap/sbin',
  '/opt/homebrew/opt/openldap/bin',
];
const SCHEMA_DIRS = [
  '/etc/ldap/schema',
  '/opt/homebrew/etc/openldap/schema',
  '/usr/local/etc/openldap/schema',
  '/etc/openldap/schema',
];
/** Debian builds the mdb backend as a module; Homebrew's slapd has it built in. */
const MODULE_DIRS = [
  '/usr/lib/ldap',
  '/usr/lib64/openldap',
  '/usr/lib/openldap',
];

/** A tool of OpenLDAP: $<ENV>, else on PATH or in the usual sbin folders. */
function tool(name: string, envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...SBIN];
  const found = dirs.map(d => path.join(d, name)).find(p => existsSync(p));
  if (!found) throw new Error(`'${name}' is not installed: ${INSTALL_HINT}`);
  return found;
}

export const BIND_DN_NAME = 'cn=admin';
/** The local directory's administrator password (loopback only, test data). */
export const BIND_PASSWORD = 'admin-password';

export interface DirectoryOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** Its configuration and data; default .run/directory-<port>. */
  dir?: string;
  suffix?: string;
  logFile?: string;
  pidFile?: string;
}

export interface DirectoryInfo extends DirectoryLayout {
  url: string;
  port: number;
  dir: string;
  bindDn: string;
  bindPassword: string;
  /** slapd's command line (without -d: it forks into the background). */
  command: string[];
  /** catalog.providers.ldapOrg.<id> for the portal: the demo's people and teams. */
  providerConfig(): Record<string, unknown>;
}

export interface Directory extends DirectoryInfo {
  /** Runs ldapmodify with the LDIF change records. */
  modify(ldif: string): void;
  /** Moves a person from one group to another (ldapmodify). */
  moveUser(username: string, from: string, to: string): void;
  stop(): Promise<void>;
}

function slapdConf(dir: string, layout: DirectoryLayout, bindDn: string) {
  const schemaDir =
    process.env.SLAPD_SCHEMA_DIR ?? SCHEMA_DIRS.find(d => existsSync(d));
  if (!schemaDir) {
    throw new Error(
      `no OpenLDAP schema folder (${SCHEMA_DIRS.join(
        ', ',
      )}); set SLAPD_SCHEMA_DIR`,
    );
  }
  const modules = MODULE_DIRS.find(d =>
    existsSync(path.join(d, 'back_mdb.so')),
  );
  return [
    ...['core', 'cosine', 'inetorgperson'].map(
      s => `include ${path.join(schemaDir, `${s}.schema`)}`,
    ),
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    `argsfile ${path.join(dir, 'slapd.args')}`,
    ...(modules ? [`modulepath ${modules}`, 'moduleload back_mdb'] : []),
    'database mdb',
    'maxsize 10485760',
    `suffix "${layout.suffix}"`,
    `rootdn "${bindDn}"`,
    `rootpw ${BIND_PASSWORD}`,
    `directory ${path.join(dir, 'data')}`,
    // Only the administrator reads: the portal binds as it, anonymous clients see nothing.
    'access to * by anonymous auth by * none',
    '',
  ].join('\n');
}

/**
 * Writes slapd's configuration and a fresh database seeded with the demo organisation; returns
 * how to run and reach it. Whatever the folder held before is replaced.
 */
export function prepareDirectory(options: {
  port: number;
  dir?: string;
  suffix?: string;
}): DirectoryInfo {
  const { port } = options;
  const dir = path.resolve(
    options.dir ?? path.join(repoRoot(), `.run/directory-${port}`),
  );
  const layout = directoryLayout(options.suffix);
  const bindDn = `${BIND_DN_NAME},${layout.suffix}`;
  rmSync(path.join(dir, 'data'), { recursive: true, force: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const conf = path.join(dir, 'slapd.conf');
  writeFileSync(conf, slapdConf(dir, layout, bindDn));
  const seed = path.join(dir, 'seed.ldif');
  writeFileSync(seed, directoryLdif(demoOrg(), layout));
  execFileSync(tool('slapadd', 'SLAPADD'), ['-q', '-f', conf, '-l', seed], {
    stdio: 'pipe',
  });
  const url = `ldap://127.0.0.1:${port}`;
  return {
    ...layout,
    url,
    port,
    dir,
    bindDn,
    bindPassword: BIND_PASSWORD,
    command: [tool('slapd', 'SLAPD'), '-f', conf, '-h', `${url}/`],
    providerConfig: () => ({
      target: url,
      bind: { dn: bindDn, secret: BIND_PASSWORD },
      users: {
        dn: layout.usersDn,
        options: { filter: '(objectClass=inetOrgPerson)' },
      },
      groups: {
        dn: layout.groupsDn,
        options: { filter: '(objectClass=groupOfNames)' },
        map: { type: 'businessCategory' },
      },
      // Hourly; tests and people trigger a refresh through the scheduler when they need it.
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 2 } },
    }),
  };
}

/** True once slapd accepts connections on the port. */
export function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs ldapmodify against a directory with its administrator's bind. */
export function ldapModify(info: DirectoryInfo, ldif: string) {
  execFileSync(
    tool('ldapmodify', 'LDAPMODIFY'),
    ['-x', '-H', info.url, '-D', info.bindDn, '-w', info.bindPassword],
    { input: ldif, stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

/** Starts a seeded local directory as a child process and waits until it accepts connections. */
export async function startDirectory(
  options: DirectoryOptions = {},
): Promise<Directory> {
  const port = options.port ?? (await freePort());
  if (options.port) await assertPortFree(port);
  const info = prepareDirectory({
    port,
    dir: options.dir,
    suffix: options.suffix,
  });
  const [command, ...args] = info.command;
  // -d 0: in the foreground, quiet; stop() ends it with its process group.
  const child = startProcess(command, [...args, '-d', '0'], {
    logFile: options.logFile,
    pidFile: options.pidFile,
  });
  await waitUntilReady(
    child,
    `the directory on ${info.url}`,
    () => listening(port),
    {
      timeoutMs: 20_000,
      intervalMs: 100,
    },
  );
  return {
    ...info,
    modify: ldif => ldapModify(info, ldif),
    moveUser: (username, from, to) =>
      ldapModify(info, moveLdif(info, username, from, to)),
    stop: () => child.stop(3000),
  };
}

/** For scripts: starts slapd in the background (it forks) and waits until it listens. */
export async function startDirectoryDaemon(options: {
  port: number;
  dir?: string;
}): Promise<DirectoryInfo> {
  const info = prepareDirectory(options);
  const [command, ...args] = info.command;
  execFileSync(command, args, { stdio: 'inherit' });
  await eventually(`the directory on ${info.url}`, () => listening(info.port), {
    timeoutMs: 20_000,
  });
  return info;
}
