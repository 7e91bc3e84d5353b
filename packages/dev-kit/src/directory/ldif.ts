import type { DemoOrg } from '../people.ts';

/** Where the directory keeps people and groups. */
export interface DirectoryLayout {
  suffix: string;
  usersDn: string;
  groupsDn: string;
}

export function directoryLayout(suffix = 'dc=example,dc=com'): DirectoryLayout {
  return {
    suffix,
    usersDn: `ou=people,${suffix}`,
    groupsDn: `ou=groups,${suffix}`,
  };
}

export const userDn = (layout: DirectoryLayout, username: string) =>
  `uid=${username},${layout.usersDn}`;
export const groupDn = (layout: DirectoryLayout, group: string) =>
  `cn=${group},${layout.groupsDn}`;

const entry = (dn: string, attributes: Array<[string, string]>) =>
  [
    `dn: ${dn}`,
    ...attributes.map(([k, v]) => (v ? `${k}: ${v}` : `${k}:`)),
  ].join('\n');

/**
 * The organisation as LDIF: inetOrgPerson people under ou=people, groupOfNames groups under
 * ou=groups (businessCategory: team) whose `member` values name the people. Each group also holds the empty DN as a
 * member, the OpenLDAP idiom for a group that may lose its last person (groupOfNames requires a
 * member); Backstage's LDAP provider ignores it.
 */
export function directoryLdif(org: DemoOrg, layout: DirectoryLayout): string {
  const dc = /^dc=([^,]+)/.exec(layout.suffix)?.[1] ?? 'example';
  const entries = [
    entry(layout.suffix, [
      ['objectClass', 'dcObject'],
      ['objectClass', 'organization'],
      ['dc', dc],
      ['o', dc],
    ]),
    entry(layout.usersDn, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'people'],
    ]),
    entry(layout.groupsDn, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'groups'],
    ]),
    ...org.people.map(p =>
      entry(userDn(layout, p.username), [
        ['objectClass', 'inetOrgPerson'],
        ['uid', p.username],
        ['cn', p.displayName],
        ['sn', p.displayName.split(' ').slice(-1)[0]],
        ['displayName', p.displayName],
        ['mail', p.email],
      ]),
    ),
    ...org.teams.map(t =>
      entry(groupDn(layout, t.name), [
        ['objectClass', 'groupOfNames'],
        ['cn', t.name],
        ['businessCategory', 'team'],
        ...(t.description
          ? [['description', t.description] as [string, string]]
          : []),
        ['member', ''],
        ...org.people
          .filter(p => p.groups.includes(t.name))
          .map(p => ['member', userDn(layout, p.username)] as [string, string]),
      ]),
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}

/** An ldapmodify change that moves a person from one group to another. */
export function moveLdif(
  layout: DirectoryLayout,
  username: string,
  from: string,
  to: string,
): string {
  const member = userDn(layout, username);
  return [
    `dn: ${groupDn(layout, from)}`,
    'changetype: modify',
    'delete: member',
    `member: ${member}`,
    '',
    `dn: ${groupDn(layout, to)}`,
    'changetype: modify',
    'add: member',
    `member: ${member}`,
    '',
  ].join('\n');
}
