import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repo.ts';

/** A person of the demo organisation, as the directory and the identity provider know them. */
export interface Person {
  /** The user name: the catalog User's name, the directory's uid, the provider's preferred_username. */
  username: string;
  displayName: string;
  email: string;
  /** Their password at the local identity provider: `<username>-password`. */
  password: string;
  /** The groups they are a member of (names). */
  groups: string[];
}

export interface Team {
  name: string;
  displayName: string;
  description?: string;
}

export interface DemoOrg {
  people: Person[];
  teams: Team[];
}

/**
 * The demo organisation of catalog/demo/org.yaml: the one source of the local directory
 * (slapd) and of the local identity provider's accounts, so that the three agree.
 */
export function demoOrg(
  file = path.join(repoRoot(), 'catalog/demo/org.yaml'),
): DemoOrg {
  const entities = parseAllDocuments(readFileSync(file, 'utf8')).map(
    d => d.toJS() as any,
  );
  const teams = entities
    .filter(e => e.kind === 'Group')
    .map(e => ({
      name: e.metadata.name,
      displayName: e.spec.profile?.displayName ?? e.metadata.name,
      description: e.metadata.description,
    }));
  const people = entities
    .filter(e => e.kind === 'User')
    .map(e => ({
      username: e.metadata.name,
      displayName: e.spec.profile.displayName,
      email: e.spec.profile.email,
      password: `${e.metadata.name}-password`,
      groups: e.spec.memberOf ?? [],
    }));
  return { people, teams };
}

/**
 * Someone the identity provider knows and the catalog does not: the portal must refuse her
 * sign-in.
 */
export const OUTSIDER: Person = {
  username: 'erin',
  displayName: 'Erin Example',
  email: 'erin@example.com',
  password: 'erin-password',
  groups: [],
};
