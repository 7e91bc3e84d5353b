import { demoOrg } from '../people.ts';
import { directoryLayout, directoryLdif, moveLdif } from './ldif.ts';

describe('the demo organisation as a directory', () => {
  const layout = directoryLayout();
  const ldif = directoryLdif(demoOrg(), layout);
  const entry = (dn: string) =>
    ldif.split('\n\n').find(e => e.startsWith(`dn: ${dn}\n`));

  it('has the people of catalog/demo/org.yaml, with their emails', () => {
    expect(entry('uid=carol,ou=people,dc=example,dc=com')).toBe(
      [
        'dn: uid=carol,ou=people,dc=example,dc=com',
        'objectClass: inetOrgPerson',
        'uid: carol',
        'cn: Carol Chen',
        'sn: Chen',
        'displayName: Carol Chen',
        'mail: carol@example.com',
      ].join('\n'),
    );
    for (const name of ['alice', 'bob', 'dave']) {
      expect(entry(`uid=${name},ou=people,dc=example,dc=com`)).toContain(
        `mail: ${name}@example.com`,
      );
    }
  });

  it('has its teams, whose members are the people of org.yaml, and which may lose their last one', () => {
    expect(entry('cn=team-payments,ou=groups,dc=example,dc=com')).toBe(
      [
        'dn: cn=team-payments,ou=groups,dc=example,dc=com',
        'objectClass: groupOfNames',
        'cn: team-payments',
        'businessCategory: team',
        'description: Payments product team',
        'member:',
        'member: uid=alice,ou=people,dc=example,dc=com',
        'member: uid=bob,ou=people,dc=example,dc=com',
      ].join('\n'),
    );
    expect(entry('cn=team-search,ou=groups,dc=example,dc=com')).toContain(
      'member: uid=carol,ou=people,dc=example,dc=com',
    );
    expect(entry('cn=platform,ou=groups,dc=example,dc=com')).toContain(
      'member: uid=dave,ou=people,dc=example,dc=com',
    );
  });

  it('moves a person between teams with one ldapmodify change per group', () => {
    expect(moveLdif(layout, 'carol', 'team-search', 'team-payments')).toBe(
      [
        'dn: cn=team-search,ou=groups,dc=example,dc=com',
        'changetype: modify',
        'delete: member',
        'member: uid=carol,ou=people,dc=example,dc=com',
        '',
        'dn: cn=team-payments,ou=groups,dc=example,dc=com',
        'changetype: modify',
        'add: member',
        'member: uid=carol,ou=people,dc=example,dc=com',
        '',
      ].join('\n'),
    );
  });
});
