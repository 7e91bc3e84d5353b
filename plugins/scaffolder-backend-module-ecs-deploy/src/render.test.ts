import { modulesSourceForRoot } from './render';

describe('modulesSourceForRoot', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it.each([
    ['../../../terraform-modules', '', '../../../../../terraform-modules'],
    ['./terraform-modules', '', '../../terraform-modules'],
    [
      '../../../terraform-modules',
      'services/payments',
      '../../../../../../../terraform-modules',
    ],
    [
      'git::https://github.com/acme/platform//terraform-modules?ref=v1',
      'x',
      'git::https://github.com/acme/platform//terraform-modules?ref=v1',
    ],
  ])(
    '%s from %p → %s, whatever the working directory',
    (source, target, expected) => {
      for (const dir of ['/', cwd]) {
        process.chdir(dir);
        expect(modulesSourceForRoot(source, target)).toBe(expected);
      }
    },
  );
});
