/**
 * fast-check generators of realistic package versions for the versioning property and oracle tests. The
 * pieces come from small pools so that generated pairs often share long prefixes, tie, or differ only by
 * a tilde, a caret or a leading zero: the places where orderings go wrong.
 */
import fc from 'fast-check';

const number = fc.constantFrom(
  '0',
  '1',
  '2',
  '3',
  '9',
  '10',
  '01',
  '001',
  '00',
  '20240101',
  '99999999999999999999',
);

function join(pieces: string[]): string {
  return pieces.join('');
}

const debianWord = fc.constantFrom(
  'a',
  'b',
  'z',
  'A',
  'Z',
  'rc',
  'beta',
  'dfsg',
  'git',
  'really',
  'deb',
  'ubuntu',
  'build',
  'bpo',
  'u',
);
const debianSeparator = fc.constantFrom('.', '.', '+', '~', '~~');

const adversarialDebianVersion: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom('0', '1', '2', '10', '01'), { freq: 4 }),
    first: fc.oneof({ weight: 15, arbitrary: number }, { weight: 1, arbitrary: debianWord }),
    rest: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: number },
        { weight: 3, arbitrary: debianSeparator },
        { weight: 2, arbitrary: debianWord },
        { weight: 1, arbitrary: fc.constantFrom('-', ':', '_') },
      ),
      { maxLength: 6 },
    ),
    revision: fc.option(
      fc.array(fc.oneof(number, debianWord, fc.constantFrom('.', '+', '~')), { minLength: 1, maxLength: 4 }),
      { freq: 2 },
    ),
  })
  .map(({ epoch, first, rest, revision }) => {
    const allowed = rest.filter((piece) => (piece !== '-' || revision) && (piece !== ':' || epoch));
    const upstream = first + join(allowed);
    return `${epoch === null ? '' : `${epoch}:`}${upstream}${revision ? `-${join(revision)}` : ''}`;
  });

const small = fc.constantFrom('0', '1', '2', '3', '4', '10', '12', '22', '04');

/** Shapes seen in Debian and Ubuntu archives: 2:1.2.3~rc1+dfsg-1ubuntu0.22.04.1, 9.2p1-2+deb12u3, ... */
const archiveDebianVersion: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom('1', '2'), { freq: 5 }),
    parts: fc.array(small, { minLength: 1, maxLength: 4 }),
    upstreamTail: fc.constantFrom(
      '',
      '',
      '',
      '~rc1',
      '~rc2',
      '~beta1',
      '+dfsg',
      '+dfsg1',
      'p1',
      'a',
      '+git20240101',
      '+really1.0',
    ),
    revision: fc.option(
      fc.constantFrom(
        '1',
        '2',
        '1ubuntu0.22.04.1',
        '1ubuntu0.22.04.2',
        '2+deb12u1',
        '2+deb12u3',
        '1~bpo11+1',
        '0ubuntu1',
        '1build1',
        '3.1',
      ),
      { freq: 6 },
    ),
  })
  .map(
    ({ epoch, parts, upstreamTail, revision }) =>
      `${epoch === null ? '' : `${epoch}:`}${parts.join('.')}${upstreamTail}${revision === null ? '' : `-${revision}`}`,
  );

/**
 * Debian versions: archive-like ones, and adversarial ones with an optional epoch, an upstream starting
 * with a digit (sometimes a letter or with an underscore, which dpkg warns about but still compares) and
 * an optional revision; hyphens in the upstream only with a revision and colons only with an epoch, as
 * dpkg requires.
 */
export const debianVersion: fc.Arbitrary<string> = fc.oneof(archiveDebianVersion, adversarialDebianVersion);

const rpmWord = fc.constantFrom('a', 'b', 'z', 'A', 'Z', 'rc', 'git', 'el', 'alpha', 'pre', 'fc', 'module');
const rpmSeparator = fc.constantFrom('.', '.', '_', '+', '~', '^', '~~', '^^', ':', '@', 'é');

function rpmField(maxLength: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: number },
        { weight: 3, arbitrary: rpmSeparator },
        { weight: 2, arbitrary: rpmWord },
      ),
      { minLength: 1, maxLength },
    )
    .map(join);
}

/** Shapes seen in RHEL-like repositories: 1:3.0.7-27.el9_4, 8.7p1-38.el9_4.1, 2.0~rc1^20240101git-1.fc40. */
const repositoryRpmEvr: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom('1', '2', '32'), { freq: 5 }),
    parts: fc.array(small, { minLength: 1, maxLength: 4 }),
    versionTail: fc.constantFrom('', '', '', '~rc1', '~rc2', '^20240101git', 'p1', 'a'),
    release: fc.array(small, { minLength: 1, maxLength: 3 }),
    dist: fc.constantFrom('.el8', '.el9', '.el9_4', '.el9_4.1', '.fc40', '.module+el8.9.0+1+abcd', ''),
  })
  .map(
    ({ epoch, parts, versionTail, release, dist }) =>
      `${epoch === null ? '' : `${epoch}:`}${parts.join('.')}${versionTail}-${release.join('.')}${dist}`,
  );

/**
 * RPM EVRs: repository-like ones, and adversarial ones with an optional epoch, a version and usually a
 * release, each of digits, letters and the separators rpm treats specially (~ ^) or ignores (. _ + : @
 * and non-ASCII).
 */
export const rpmEvr = (withRelease: 'always' | 'sometimes'): fc.Arbitrary<string> =>
  fc.oneof(repositoryRpmEvr, adversarialRpmEvr(withRelease));

const adversarialRpmEvr = (withRelease: 'always' | 'sometimes'): fc.Arbitrary<string> =>
  fc
    .record({
      epoch: fc.option(fc.constantFrom('0', '1', '2', '10', '01'), { freq: 4 }),
      version: rpmField(6),
      release: withRelease === 'always' ? rpmField(4) : fc.option(rpmField(4), { freq: 3 }),
    })
    .map(
      ({ epoch, version, release }) =>
        `${epoch === null ? '' : `${epoch}:`}${version}${release === null ? '' : `-${release}`}`,
    );

const apkSuffix = fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p');

/** Shapes seen in Alpine's index: 9.7_p1-r4, 3.3.1-r0, 1.36.1-r29, 2.4.58_rc1-r0, 6.6.2p1-r0 (old). */
const indexAlpineVersion: fc.Arbitrary<string> = fc
  .record({
    parts: fc.array(small, { minLength: 1, maxLength: 4 }),
    tail: fc.constantFrom('', '', '', '_p1', '_p2', '_rc1', '_git20240101', 'a', 'p1'),
    revision: fc.constantFrom('0', '1', '2', '10', '29'),
  })
  .map(({ parts, tail, revision }) => `${parts.join('.')}${tail}-r${revision}`);

/** Alpine versions: index-like, and adversarial ones (`1.2.3a_rc1_p2~c0ffee-r4`, sometimes with junk). */
export const alpineVersion: fc.Arbitrary<string> = fc.oneof(indexAlpineVersion, adversarialAlpineVersion());

function adversarialAlpineVersion(): fc.Arbitrary<string> {
  return fc
    .record({
      numbers: fc.array(number, { minLength: 1, maxLength: 4 }),
      letter: fc.option(fc.constantFrom('a', 'b', 'z'), { freq: 4 }),
      suffixes: fc.array(fc.tuple(apkSuffix, fc.option(number, { freq: 2 })), { maxLength: 2 }),
      hash: fc.option(fc.constantFrom('1234', 'abcd', 'c0ffee'), { freq: 6 }),
      revision: fc.option(number, { freq: 2 }),
      junk: fc.option(fc.constantFrom('p1', '.', '-r', '_foo', 'A', '..1', '-x'), { freq: 8 }),
    })
    .map(({ numbers, letter, suffixes, hash, revision, junk }) => {
      const suffixText = join(suffixes.map(([name, n]) => `_${name}${n ?? ''}`));
      return (
        numbers.join('.') +
        (letter ?? '') +
        suffixText +
        (hash === null ? '' : `~${hash}`) +
        (junk ?? '') +
        (revision === null ? '' : `-r${revision}`)
      );
    });
}
