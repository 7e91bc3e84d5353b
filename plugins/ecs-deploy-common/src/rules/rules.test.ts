import cases from './nameCases.json';
import {
  environmentNameProblem,
  environmentNameSchema,
  serviceNameProblem,
  serviceNameSchema,
} from './names';
import {
  describeFargateMemory,
  fargateSizeProblem,
  FARGATE_CPUS,
} from './fargate';
import {
  describeImage,
  imageReferenceProblem,
  imageVersion,
  isSameImage,
  parseImageReference,
  pinImageToDigest,
} from './images';

describe('name rules (the shared table)', () => {
  it.each(cases.serviceNames.valid)('accepts service name %j', name => {
    expect(serviceNameProblem(name)).toBeUndefined();
    expect(serviceNameSchema.safeParse(name).success).toBe(true);
  });
  it.each(cases.serviceNames.invalid)('refuses service name %j', name => {
    expect(serviceNameProblem(name)).toEqual(expect.any(String));
    expect(serviceNameSchema.safeParse(name).success).toBe(false);
  });
  it.each(cases.environmentNames.valid)('accepts environment %j', name => {
    expect(environmentNameProblem(name)).toBeUndefined();
    expect(environmentNameSchema.safeParse(name).success).toBe(true);
  });
  it.each(cases.environmentNames.invalid)('refuses environment %j', name => {
    expect(environmentNameProblem(name)).toEqual(expect.any(String));
    expect(environmentNameSchema.safeParse(name).success).toBe(false);
  });
  it('names the reserved words', () => {
    expect(serviceNameProblem('admin')).toMatch(/reserved word/);
  });
});

describe('Fargate sizes', () => {
  it('accepts every size of the table and refuses neighbours', () => {
    expect(fargateSizeProblem(256, 512)).toBeUndefined();
    expect(fargateSizeProblem(16384, 122880)).toBeUndefined();
    expect(fargateSizeProblem(256, 4096)).toEqual({
      field: 'memory',
      message: expect.stringContaining('512, 1024, 2048'),
    });
    expect(fargateSizeProblem(300, 512)?.field).toBe('cpu');
    expect(FARGATE_CPUS).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    expect(describeFargateMemory(512)).toBe('1024-4096 (step 1024)');
  });
});

describe('image references', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['ghcr.io/acme/api:1.4.0', 'ghcr.io/acme/api', '1.4.0', undefined],
    ['localhost:5000/api:2', 'localhost:5000/api', '2', undefined],
    ['localhost:5000/api', 'localhost:5000/api', undefined, undefined],
    [`ghcr.io/acme/api@${digest}`, 'ghcr.io/acme/api', undefined, digest],
    [`ghcr.io/acme/api:1@${digest}`, 'ghcr.io/acme/api', '1', digest],
    ['nginx', 'nginx', undefined, undefined],
  ])('parses %s', (image, repository, tag, d) => {
    expect(parseImageReference(image)).toEqual({ repository, tag, digest: d });
  });
  it('pins to a digest and describes for display', () => {
    expect(pinImageToDigest('ghcr.io/acme/api:1.4.0', digest)).toBe(
      `ghcr.io/acme/api:1.4.0@${digest}`,
    );
    expect(pinImageToDigest('ghcr.io/acme/api', digest)).toBe(
      `ghcr.io/acme/api@${digest}`,
    );
    expect(describeImage('app', `r:1@${digest}`)).toEqual({
      container: 'app',
      image: `r:1@${digest}`,
      tag: '1',
      digest,
    });
    expect(describeImage('app', 'ghcr.io/acme/api:1.4.0')).toEqual({
      container: 'app',
      image: 'ghcr.io/acme/api:1.4.0',
      tag: '1.4.0',
    });
    expect(imageVersion(describeImage('app', `r@${digest}`))).toBe(
      digest.slice(0, 19),
    );
  });
  it.each([
    ['r:1', 'r:1', true],
    ['r:1', `r:1@sha256:${'b'.repeat(64)}`, true],
    [`r:1@sha256:${'a'.repeat(64)}`, `r:1@sha256:${'b'.repeat(64)}`, false],
    [`r@sha256:${'a'.repeat(64)}`, `r:2@sha256:${'a'.repeat(64)}`, true],
    ['r:1', 'r:2', false],
    ['r:1', 's:1', false],
    ['r', 'r', true],
  ])('isSameImage(%s, %s) = %s', (a, b, same) => {
    expect(isSameImage(a, b)).toBe(same);
  });
  it.each(['', 'has space:1', 'a/../b:1', 'a//b', 'x@sha256:short', '"q"'])(
    'refuses %j',
    image => {
      expect(imageReferenceProblem(image)).toEqual(expect.any(String));
    },
  );
});
